using System.Numerics.Tensors;

namespace Mem0.Benchmarks;

/// <summary>The floor the store's search is compared with: dot products over one contiguous slab and a top-k min-heap, nothing else.</summary>
internal static class RawScan
{
    /// <summary>Scores the first <paramref name="count"/> vectors of <paramref name="slab"/> against <paramref name="query"/>; returns how many were kept.</summary>
    public static int TopK(float[] slab, int count, float[] query, int topK)
    {
        var dimensions = query.Length;
        var heap = new PriorityQueue<int, float>(topK + 1);
        var span = slab.AsSpan();
        for (var i = 0; i < count; i++)
        {
            var score = TensorPrimitives.Dot(span.Slice(i * dimensions, dimensions), query);
            if (heap.Count < topK)
            {
                heap.Enqueue(i, score);
            }
            else if (heap.TryPeek(out _, out var min) && score > min)
            {
                heap.DequeueEnqueue(i, score);
            }
        }

        return heap.Count;
    }
}
