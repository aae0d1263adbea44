using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mem0.Local.Storage;

/// <summary>
/// Symmetric int8 scalar quantization: a quarter of the bytes of float32, so a scan that is memory-bound at 100k
/// vectors reads 38 MB instead of 154 MB. Only used to pick candidates; final scores are exact float32.
/// </summary>
internal static class Int8Vectors
{
    /// <summary>Quantizes <paramref name="source"/> into <paramref name="target"/>; returns the factor that maps back (x ≈ q · factor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Quantize(ReadOnlySpan<float> source, Span<sbyte> target)
    {
        var max = source.IsEmpty ? 0f : MathF.Abs(TensorPrimitives.MaxMagnitude(source));
        if (max == 0f || !float.IsFinite(max))
        {
            target.Clear();
            return 0f;
        }

        var scaled = source.Length <= 1024 ? stackalloc float[source.Length] : new float[source.Length];
        TensorPrimitives.Multiply(source, 127f / max, scaled);
        TensorPrimitives.Round(scaled, scaled);
        TensorPrimitives.Clamp(scaled, -127f, 127f, scaled);
        TensorPrimitives.ConvertTruncating<float, sbyte>(scaled, target);
        return max / 127f;
    }

    /// <summary>The integer dot product of two equal-length int8 vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && a.Length >= 16)
        {
            var accumulator = Vector256<int>.Zero;
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            for (; i <= a.Length - 16; i += 16)
            {
                var va = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref ra, (nuint)i));
                var vb = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref rb, (nuint)i));
                accumulator = Avx2.Add(accumulator, Avx2.MultiplyAddAdjacent(va, vb));
            }

            sum = Vector256.Sum(accumulator);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
