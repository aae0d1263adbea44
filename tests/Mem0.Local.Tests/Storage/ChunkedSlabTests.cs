using Mem0.Core.Memories;
using Mem0.Local.Storage;

namespace Mem0.Local.Tests.Storage;

public class ChunkedSlabTests
{
    /// <summary>
    /// The old single slab computed <c>slot * Dimensions</c> in 32 bits and doubled past it: 4,194,304 rows at 384 dims
    /// (1,048,576 at 1,536) was the last size that could grow. Chunk addressing must hold far beyond, with every offset
    /// inside one chunk's array — checked on the arithmetic, without allocating the gigabytes.
    /// </summary>
    [Theory]
    [InlineData(4_194_303, 384)]
    [InlineData(4_194_304, 384)]
    [InlineData(5_592_406, 384)]
    [InlineData(1_048_576, 1536)]
    [InlineData(1_398_102, 1536)]
    [InlineData(int.MaxValue, 3072)]
    public void Locate_BeyondTheOld32BitLimit_AddressesARowInsideOneChunk(int slot, int dimensions)
    {
        var (chunk, row) = ChunkedSlab.Locate(slot);

        Assert.Equal((long)slot, ((long)chunk * ChunkedSlab.ChunkRows) + row);
        Assert.InRange(row, 0, ChunkedSlab.ChunkRows - 1);
        var offset = ChunkedSlab.VectorOffset(row, dimensions);
        Assert.InRange(offset, 0, ((long)ChunkedSlab.ChunkRows * dimensions) - dimensions);
        Assert.True((long)ChunkedSlab.ChunkRows * dimensions <= Array.MaxLength);

        // The product the old code computed: past the boundary it no longer fits an int.
        if ((long)slot * dimensions > int.MaxValue)
        {
            Assert.NotEqual((long)slot * dimensions, unchecked(slot * dimensions));
        }
    }

    [Fact]
    public void Constructor_DimensionsTooLargeForAChunk_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkedSlab("m", ChunkedSlab.MaxDimensions + 1));
        Assert.Equal(ChunkedSlab.MaxDimensions, new ChunkedSlab("m", ChunkedSlab.MaxDimensions).Dimensions);
    }

    [Fact]
    public void UpsertAndRemove_AcrossChunkBoundaries_KeepsEveryRowWithItsVector()
    {
        var slab = new ChunkedSlab("m", 2);
        var total = (ChunkedSlab.ChunkRows * 2) + 37;
        for (var i = 0; i < total; i++)
        {
            var memory = Memory(i);
            slab.Upsert(memory, memory);
        }

        Assert.Equal(3, slab.ChunkCount);

        // Remove every third row, including rows in the first chunk whose replacement comes from the last chunk.
        for (var i = 0; i < total; i += 3)
        {
            Assert.NotNull(slab.Remove("m" + i));
        }

        Assert.Null(slab.Remove("m0"));
        var remaining = Enumerable.Range(0, total).Where(i => i % 3 != 0).ToList();
        Assert.Equal(remaining.Count, slab.Count);
        Assert.Equal(2, slab.ChunkCount);
        foreach (var i in remaining)
        {
            Assert.True(slab.TryGetSlot("m" + i, out var slot));
            Assert.Equal("m" + i, slab.MemoryAt(slot).Id);
            Assert.Equal(new float[] { i, 1 }, slab.VectorAt(slot).ToArray());
        }
    }

    private static MemoryRecord Memory(int i) => new()
    {
        Id = "m" + i,
        ProjectId = "p",
        Text = "t",
        Hash = "h",
        Embedding = [i, 1],
        EmbeddingModel = "m",
        Scope = new MemoryScope("u"),
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };
}
