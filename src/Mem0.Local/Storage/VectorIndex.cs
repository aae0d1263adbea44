using System.Numerics.Tensors;
using Mem0.Core.Filters;
using Mem0.Core.Memories;

namespace Mem0.Local.Storage;

/// <summary>
/// The in-memory search index of one project: per embedding model, every vector in one contiguous slab and the
/// memory (without its embedding) in the same slot, so a search is a linear dot-product scan. SQLite remains the
/// source of truth; the store rebuilds this lazily and updates it after each committed write.
/// </summary>
internal sealed class VectorIndex
{
    private readonly Dictionary<string, ModelSlab> _slabs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _modelById = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new();

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _modelById.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Adds or replaces memories and removes ids, atomically with respect to searches.</summary>
    public void Apply(IEnumerable<MemoryRecord> upserts, IEnumerable<string> removals)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var id in removals)
            {
                RemoveCore(id);
            }

            foreach (var memory in upserts)
            {
                if (_modelById.TryGetValue(memory.Id, out var model)
                    && (model != memory.EmbeddingModel || _slabs[model].Dimensions != memory.Embedding.Length))
                {
                    RemoveCore(memory.Id);
                }

                if (!_slabs.TryGetValue(memory.EmbeddingModel, out var slab))
                {
                    slab = new ModelSlab(memory.Embedding.Length);
                    _slabs.Add(memory.EmbeddingModel, slab);
                }

                if (slab.Dimensions != memory.Embedding.Length)
                {
                    // Same model name, different size: the model changed under the name. Keep the newest shape.
                    foreach (var stale in slab.Ids())
                    {
                        _modelById.Remove(stale);
                    }

                    slab = new ModelSlab(memory.Embedding.Length);
                    _slabs[memory.EmbeddingModel] = slab;
                }

                slab.Upsert(memory);
                _modelById[memory.Id] = memory.EmbeddingModel;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Scores every vector of <paramref name="model"/> against <paramref name="query"/> and returns the best
    /// <paramref name="limit"/> memories that pass <paramref name="filter"/>, best first. The filter runs only on
    /// candidates that would enter the top list, so a broad filter costs almost nothing on top of the scan.
    /// </summary>
    public List<(MemoryRecord Memory, float Score)> Search(
        float[] query, string model, FilterNode filter, int limit, DateOnly? today)
    {
        _lock.EnterReadLock();
        try
        {
            if (limit <= 0 || !_slabs.TryGetValue(model, out var slab) || slab.Dimensions != query.Length)
            {
                return [];
            }

            return slab.Search(query, filter, limit, today);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The semantic score and filter verdict of particular memories (keyword hits outside the vector list).</summary>
    public List<(MemoryRecord Memory, float Score)> ScoreIds(
        float[] query, string model, FilterNode filter, IEnumerable<string> ids, DateOnly? today)
    {
        _lock.EnterReadLock();
        try
        {
            var result = new List<(MemoryRecord, float)>();
            if (!_slabs.TryGetValue(model, out var slab) || slab.Dimensions != query.Length)
            {
                return result;
            }

            foreach (var id in ids)
            {
                if (slab.TryScore(id, query, filter, today, out var hit))
                {
                    result.Add(hit);
                }
            }

            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void RemoveCore(string id)
    {
        if (_modelById.Remove(id, out var model) && _slabs.TryGetValue(model, out var slab))
        {
            slab.Remove(id);
        }
    }

    /// <summary>Vectors of one model: row i of <see cref="_vectors"/> belongs to <see cref="_memories"/>[i].</summary>
    private sealed class ModelSlab(int dimensions)
    {
        private readonly Dictionary<string, int> _slotById = new(StringComparer.Ordinal);
        private float[] _vectors = new float[Math.Max(dimensions, 1) * 16];
        private sbyte[] _quantized = new sbyte[Math.Max(dimensions, 1) * 16];
        private float[] _factors = new float[16];
        private MemoryRecord[] _memories = new MemoryRecord[16];
        private int _count;

        public int Dimensions { get; } = dimensions;

        public IEnumerable<string> Ids() => _slotById.Keys.ToList();

        public void Upsert(MemoryRecord memory)
        {
            if (!_slotById.TryGetValue(memory.Id, out var slot))
            {
                if (_count == _memories.Length)
                {
                    Array.Resize(ref _memories, _count * 2);
                    Array.Resize(ref _vectors, _memories.Length * Dimensions);
                    Array.Resize(ref _quantized, _memories.Length * Dimensions);
                    Array.Resize(ref _factors, _memories.Length);
                }

                slot = _count++;
                _slotById[memory.Id] = slot;
            }

            memory.Embedding.CopyTo(_vectors.AsSpan(slot * Dimensions, Dimensions));
            _factors[slot] = Int8Vectors.Quantize(memory.Embedding, _quantized.AsSpan(slot * Dimensions, Dimensions));

            // The slab holds the vector; the stored record drops its own copy to halve memory use.
            _memories[slot] = memory with { Embedding = [] };
        }

        public void Remove(string id)
        {
            if (!_slotById.Remove(id, out var slot))
            {
                return;
            }

            // Swap-remove keeps the slab dense.
            var last = _count - 1;
            if (slot != last)
            {
                _vectors.AsSpan(last * Dimensions, Dimensions).CopyTo(_vectors.AsSpan(slot * Dimensions, Dimensions));
                _quantized.AsSpan(last * Dimensions, Dimensions).CopyTo(_quantized.AsSpan(slot * Dimensions, Dimensions));
                _factors[slot] = _factors[last];
                _memories[slot] = _memories[last];
                _slotById[_memories[slot].Id] = slot;
            }

            _memories[last] = null!;
            _count--;
        }

        /// <summary>
        /// Two passes: an int8 scan keeps the best <see cref="CandidateCount"/> filtered candidates by approximate
        /// score, then those are rescored exactly in float32. The filter and expiry run only on memories that would
        /// enter the candidate heap, so a broad filter adds almost nothing to the scan.
        /// </summary>
        public List<(MemoryRecord Memory, float Score)> Search(float[] query, FilterNode filter, int limit, DateOnly? today)
        {
            var candidateCount = CandidateCount(limit);
            var quantizedQuery = new sbyte[Dimensions];
            if (Int8Vectors.Quantize(query, quantizedQuery) == 0f)
            {
                return ExactSearch(query, filter, limit, today);
            }

            var heap = new PriorityQueue<int, float>(candidateCount + 1);
            var threshold = float.NegativeInfinity;
            var quantized = _quantized.AsSpan();
            var matchAll = filter is AndFilter { Children.Count: 0 };
            for (var slot = 0; slot < _count; slot++)
            {
                // The query's own factor is the same for every slot, so it is left out of the ranking score.
                var approximate = Int8Vectors.Dot(quantized.Slice(slot * Dimensions, Dimensions), quantizedQuery) * _factors[slot];
                if (heap.Count == candidateCount && approximate <= threshold)
                {
                    continue;
                }

                if (!Passes(slot, filter, matchAll, today))
                {
                    continue;
                }

                Push(heap, candidateCount, slot, approximate, ref threshold);
            }

            var exact = new List<(int Slot, float Score)>(heap.Count);
            var vectors = _vectors.AsSpan();
            while (heap.TryDequeue(out var slot, out _))
            {
                exact.Add((slot, TensorPrimitives.Dot(vectors.Slice(slot * Dimensions, Dimensions), query)));
            }

            return exact
                .OrderByDescending(hit => hit.Score)
                .ThenBy(hit => hit.Slot)
                .Take(limit)
                .Select(hit => (WithEmbedding(hit.Slot), hit.Score))
                .ToList();
        }

        /// <summary>Enough int8 candidates that quantization error cannot push a true top-k hit out.</summary>
        private static int CandidateCount(int limit) => Math.Max(limit * 8, 128);

        private List<(MemoryRecord Memory, float Score)> ExactSearch(float[] query, FilterNode filter, int limit, DateOnly? today)
        {
            var heap = new PriorityQueue<int, float>(limit + 1);
            var threshold = float.NegativeInfinity;
            var span = _vectors.AsSpan();
            var matchAll = filter is AndFilter { Children.Count: 0 };
            for (var slot = 0; slot < _count; slot++)
            {
                var score = TensorPrimitives.Dot(span.Slice(slot * Dimensions, Dimensions), query);
                if ((heap.Count == limit && score <= threshold) || !Passes(slot, filter, matchAll, today))
                {
                    continue;
                }

                Push(heap, limit, slot, score, ref threshold);
            }

            var result = new List<(MemoryRecord, float)>(heap.Count);
            while (heap.TryDequeue(out var slot, out var score))
            {
                result.Add((WithEmbedding(slot), score));
            }

            result.Reverse();
            return result;
        }

        private bool Passes(int slot, FilterNode filter, bool matchAll, DateOnly? today)
        {
            var memory = _memories[slot];
            return (today is not { } day || !memory.IsExpired(day)) && (matchAll || FilterEvaluator.Matches(filter, memory));
        }

        private static void Push(PriorityQueue<int, float> heap, int capacity, int slot, float score, ref float threshold)
        {
            if (heap.Count == capacity)
            {
                heap.DequeueEnqueue(slot, score);
            }
            else
            {
                heap.Enqueue(slot, score);
            }

            if (heap.Count == capacity)
            {
                heap.TryPeek(out _, out threshold);
            }
        }

        public bool TryScore(string id, float[] query, FilterNode filter, DateOnly? today, out (MemoryRecord Memory, float Score) hit)
        {
            hit = default;
            if (!_slotById.TryGetValue(id, out var slot))
            {
                return false;
            }

            var memory = _memories[slot];
            if ((today is { } day && memory.IsExpired(day)) || !FilterEvaluator.Matches(filter, memory))
            {
                return false;
            }

            hit = (WithEmbedding(slot), TensorPrimitives.Dot(_vectors.AsSpan(slot * Dimensions, Dimensions), query));
            return true;
        }

        private MemoryRecord WithEmbedding(int slot) =>
            _memories[slot] with { Embedding = _vectors.AsSpan(slot * Dimensions, Dimensions).ToArray() };
    }
}
