using Mem0.Core.Memories;

namespace Mem0.Local.Storage;

/// <summary>
/// The vectors of one embedding model within one index partition, in fixed-size chunks: row <c>r</c> of chunk
/// <c>c</c> is slot <c>c · ChunkRows + r</c>. No array ever holds more than <see cref="ChunkRows"/> rows, so offsets stay
/// far from the 32-bit limit at any number of memories, and growth copies at most one chunk instead of the whole slab
/// (a single doubling array kept the old and new copies side by side and overflowed past 4,194,304 rows of 384 dims).
/// </summary>
internal sealed class ChunkedSlab
{
    internal const int ChunkShift = 12;

    /// <summary>Rows per full chunk: 4,096 rows of 384 dims are 6 MB of float32 and 1.5 MB of int8.</summary>
    internal const int ChunkRows = 1 << ChunkShift;

    /// <summary>The largest dimension count for which a full chunk's float array stays within .NET's array limit.</summary>
    internal static readonly int MaxDimensions = Array.MaxLength / ChunkRows;

    private const int FirstChunkRows = 4;
    private const int LaterChunkRows = ChunkRows / 8;

    private readonly List<Chunk> _chunks = [];
    private readonly Dictionary<string, int> _slotById = new(StringComparer.Ordinal);

    public ChunkedSlab(string model, int dimensions)
    {
        if (dimensions <= 0 || dimensions > MaxDimensions)
        {
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, $"Embeddings must have 1 to {MaxDimensions} dimensions.");
        }

        Model = model;
        Dimensions = dimensions;
    }

    public string Model { get; }

    public int Dimensions { get; }

    public int Count { get; private set; }

    /// <summary>Estimated resident bytes of one row: float32 and int8 vectors plus the scale factor.</summary>
    public long BytesPerRowVectors => (Dimensions * 5L) + 4;

    /// <summary>The chunk and row of a slot. Pure arithmetic on the slot: nothing is multiplied by the dimension count here.</summary>
    internal static (int Chunk, int Row) Locate(int slot) => (slot >> ChunkShift, slot & (ChunkRows - 1));

    /// <summary>Where a row's vector starts inside its chunk; below <c>ChunkRows · dimensions</c>, which fits an int.</summary>
    internal static int VectorOffset(int row, int dimensions) => row * dimensions;

    public bool Contains(string id) => _slotById.ContainsKey(id);

    public IEnumerable<string> Ids() => _slotById.Keys;

    public bool TryGetSlot(string id, out int slot) => _slotById.TryGetValue(id, out slot);

    public MemoryRecord MemoryAt(int slot)
    {
        var (chunk, row) = Locate(slot);
        return _chunks[chunk].Memories[row];
    }

    public float FactorAt(int slot)
    {
        var (chunk, row) = Locate(slot);
        return _chunks[chunk].Factors[row];
    }

    public ReadOnlySpan<float> VectorAt(int slot)
    {
        var (chunk, row) = Locate(slot);
        return _chunks[chunk].Vectors.AsSpan(VectorOffset(row, Dimensions), Dimensions);
    }

    public ReadOnlySpan<sbyte> QuantizedAt(int slot)
    {
        var (chunk, row) = Locate(slot);
        return _chunks[chunk].Quantized.AsSpan(VectorOffset(row, Dimensions), Dimensions);
    }

    /// <summary>The filled rows of a chunk, for scans that walk chunk by chunk.</summary>
    public int ChunkCount => _chunks.Count;

    public (sbyte[] Quantized, float[] Factors, int Rows) QuantizedChunk(int chunk) =>
        (_chunks[chunk].Quantized, _chunks[chunk].Factors, Math.Min(ChunkRows, Count - (chunk << ChunkShift)));

    /// <summary>Adds or replaces a memory (whose embedding has <see cref="Dimensions"/> values); true when it was new.</summary>
    public bool Upsert(MemoryRecord memory, MemoryRecord stored)
    {
        var added = false;
        if (!_slotById.TryGetValue(memory.Id, out var slot))
        {
            slot = Count;
            EnsureRow(slot);
            Count++;
            _slotById[memory.Id] = slot;
            added = true;
        }

        var (chunkIndex, row) = Locate(slot);
        var chunk = _chunks[chunkIndex];
        var offset = VectorOffset(row, Dimensions);
        memory.Embedding.CopyTo(chunk.Vectors.AsSpan(offset, Dimensions));
        chunk.Factors[row] = Int8Vectors.Quantize(memory.Embedding, chunk.Quantized.AsSpan(offset, Dimensions));
        chunk.Memories[row] = stored;
        return added;
    }

    /// <summary>Removes a memory, moving the last row into its slot so rows stay dense; returns the removed record.</summary>
    public MemoryRecord? Remove(string id)
    {
        if (!_slotById.Remove(id, out var slot))
        {
            return null;
        }

        var (chunkIndex, row) = Locate(slot);
        var target = _chunks[chunkIndex];
        var removed = target.Memories[row];
        var last = Count - 1;
        var (lastChunkIndex, lastRow) = Locate(last);
        var source = _chunks[lastChunkIndex];
        if (slot != last)
        {
            source.Vectors.AsSpan(VectorOffset(lastRow, Dimensions), Dimensions).CopyTo(target.Vectors.AsSpan(VectorOffset(row, Dimensions), Dimensions));
            source.Quantized.AsSpan(VectorOffset(lastRow, Dimensions), Dimensions).CopyTo(target.Quantized.AsSpan(VectorOffset(row, Dimensions), Dimensions));
            target.Factors[row] = source.Factors[lastRow];
            target.Memories[row] = source.Memories[lastRow];
            _slotById[target.Memories[row].Id] = slot;
        }

        source.Memories[lastRow] = null!;
        Count--;
        if (lastRow == 0)
        {
            // The last chunk emptied: release it rather than keep megabytes for rows that may never come back.
            _chunks.RemoveAt(lastChunkIndex);
        }

        return removed;
    }

    private void EnsureRow(int slot)
    {
        var (chunkIndex, row) = Locate(slot);
        if (chunkIndex == _chunks.Count)
        {
            _chunks.Add(new Chunk(chunkIndex == 0 ? FirstChunkRows : LaterChunkRows, Dimensions));
            return;
        }

        var chunk = _chunks[chunkIndex];
        if (row == chunk.Capacity)
        {
            // Only the last chunk grows, by doubling up to ChunkRows: small partitions stay small, big ones copy one chunk.
            _chunks[chunkIndex] = chunk.Grow(Math.Min(chunk.Capacity * 2, ChunkRows), Dimensions);
        }
    }

    private sealed class Chunk
    {
        public Chunk(int capacity, int dimensions)
        {
            Vectors = new float[capacity * dimensions];
            Quantized = new sbyte[capacity * dimensions];
            Factors = new float[capacity];
            Memories = new MemoryRecord[capacity];
        }

        public float[] Vectors { get; }

        public sbyte[] Quantized { get; }

        public float[] Factors { get; }

        public MemoryRecord[] Memories { get; }

        public int Capacity => Memories.Length;

        public Chunk Grow(int capacity, int dimensions)
        {
            var grown = new Chunk(capacity, dimensions);
            Vectors.CopyTo(grown.Vectors, 0);
            Quantized.CopyTo(grown.Quantized, 0);
            Factors.CopyTo(grown.Factors, 0);
            Memories.CopyTo(grown.Memories, 0);
            return grown;
        }
    }
}
