using System.Numerics;

namespace Mem0.Core.Memories;

/// <summary>Small vector helpers kept dependency-free so Core stays light (stores with big scans use Tensors).</summary>
public static class VectorMath
{
    /// <summary>Dot product; equals cosine similarity for L2-normalised vectors.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException("Vectors differ in length.", nameof(b));
        }

        var sum = 0f;
        var i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                acc += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
            }

            sum = Vector.Sum(acc);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Returns an L2-normalised copy (a zero vector stays zero).</summary>
    public static float[] Normalize(ReadOnlySpan<float> vector)
    {
        var result = vector.ToArray();
        var norm = MathF.Sqrt(Dot(result, result));
        if (norm > 0f && MathF.Abs(norm - 1f) > 1e-6f)
        {
            for (var i = 0; i < result.Length; i++)
            {
                result[i] /= norm;
            }
        }

        return result;
    }

    /// <summary>Cosine similarity of normalised vectors, clamped to [0,1] as the wire's score.</summary>
    public static double Score(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        Math.Clamp(Dot(a, b), 0f, 1f);
}
