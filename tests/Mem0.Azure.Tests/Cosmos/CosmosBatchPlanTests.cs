using System.Net;
using System.Text.Json;
using Mem0.Azure.Cosmos;
using Mem0.Core.Common;
using Mem0.Core.Memories;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>Transactional batches split by serialized size as well as by count, with realistic 1536-dimension embeddings.</summary>
public sealed class CosmosBatchPlanTests : IDisposable
{
    private const int Dimensions = 1536;

    private readonly FakeCosmosGateway _gateway = new();
    private readonly CosmosContainers _containers;
    private readonly CosmosMemoryStore _store;

    public CosmosBatchPlanTests()
    {
        _containers = _gateway.CreateContainers();
        _store = new CosmosMemoryStore(_containers, FakeCosmosGateway.CreateTelemetry());
    }

    public void Dispose()
    {
        _containers.Client.Dispose();
        _gateway.Dispose();
    }

    /// <summary>A unit vector with the spread of a real text-embedding-3-small output (components around ±0.025).</summary>
    private static float[] Embedding(int seed)
    {
        var random = new Random(seed);
        var vector = new float[Dimensions];
        for (var i = 0; i < Dimensions; i++)
        {
            // Sum of uniforms: roughly normal, so the decimal lengths match a real embedding's.
            vector[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
        }

        var norm = MathF.Sqrt(vector.Sum(x => x * x));
        return vector.Select(x => x / norm).ToArray();
    }

    private static MemoryRecord Record(int index) => CosmosMemoryStoreTests.Record($"memory-{index:D3}", text: $"Fact number {index} about the user's preferences.") with
    {
        Embedding = Embedding(index),
    };

    private static int SerializedSize(MemoryRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(CosmosDocuments.Memory.Document(record), CosmosJson.Options).Length;

    [Fact]
    public void Chunk_HundredCreatesWith1536Dimensions_SplitsBySizeWithinEveryLimit()
    {
        var records = Enumerable.Range(0, 100).Select(Record).ToList();
        var total = records.Sum(SerializedSize);

        var chunks = CosmosBatchPlan.Chunk(records, SerializedSize);

        // The premise: 100 such documents are more than one batch request may carry.
        Assert.True(total > 1_900_000, $"100 documents serialize to {total} bytes");
        Assert.True(chunks.Count >= 2, $"{chunks.Count} chunk(s) for {total} bytes");
        Assert.All(chunks, chunk =>
        {
            Assert.InRange(chunk.Count, 1, CosmosBatchPlan.MaxOperations);
            Assert.InRange(chunk.Sum(r => SerializedSize(r) + CosmosBatchPlan.PerOperationOverheadBytes), 1, CosmosBatchPlan.PayloadBudgetBytes);
        });
        Assert.Equal(records.Select(r => r.Id), chunks.SelectMany(c => c).Select(r => r.Id));
    }

    [Fact]
    public void Chunk_SmallItems_StillCappedAtAHundredOperations()
    {
        var chunks = CosmosBatchPlan.Chunk(Enumerable.Range(0, 250).ToList(), _ => 100);

        Assert.Equal([100, 100, 50], chunks.Select(c => c.Count));
    }

    [Fact]
    public void Chunk_OneItemOverTheBudget_GoesAlone()
    {
        var chunks = CosmosBatchPlan.Chunk([10, 3_000_000, 10], size => size);

        Assert.Equal([[10], [3_000_000], [10]], chunks.Select(c => c.ToArray()));
    }

    [Fact]
    public async Task ApplyAsync_HundredCreatesWith1536Dimensions_FirstBatchFitsTheRequestLimit()
    {
        // The fake cannot answer a batch with success (the response is binary HybridRow), so it refuses the first batch
        // and the store stops there: what matters is what that first request carried.
        _gateway.On(r => r.Header("x-ms-cosmos-is-batch-request") is not null,
            r => FakeResponse.Error(r.BodyBytes > CosmosBatchPlan.MaxRequestBytes ? HttpStatusCode.RequestEntityTooLarge : HttpStatusCode.PreconditionFailed));
        var records = Enumerable.Range(0, 100).Select(Record).ToList();

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.ApplyAsync("p1", new MemoryChangeSet { Added = records }));

        var batch = Assert.Single(_gateway.DocumentRequests);
        var carried = records.Count(r => batch.Body.Contains(r.Id, StringComparison.Ordinal));
        Assert.InRange(batch.BodyBytes, 1, CosmosBatchPlan.MaxRequestBytes);
        Assert.InRange(carried, 1, records.Count - 1);
    }
}
