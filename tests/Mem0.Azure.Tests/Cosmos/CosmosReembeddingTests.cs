using System.Net;
using System.Text.Json.Nodes;
using Mem0.Azure.Cosmos;
using Mem0.Core.Memories;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>The shared <see cref="MemoryReembedder"/> over the Cosmos store (what the Functions timer runs).</summary>
public sealed class CosmosReembeddingTests : IDisposable
{
    private const string NewModel = "text-embedding-3-large";
    private readonly FakeCosmosGateway _gateway = new();
    private readonly CosmosContainers _containers;
    private readonly CosmosMemoryStore _store;

    public CosmosReembeddingTests()
    {
        _containers = _gateway.CreateContainers();
        _store = new CosmosMemoryStore(_containers, FakeCosmosGateway.CreateTelemetry());
    }

    public void Dispose()
    {
        _containers.Client.Dispose();
        _gateway.Dispose();
    }

    private MemoryReembedder Reembedder(string? modelId = NewModel) =>
        new(_store, _store.ListEmbeddedByOtherModelsAsync, new FixedEmbeddingGenerator(modelId), NullLogger<MemoryReembedder>.Instance);

    /// <summary>A stale memory in its own owner partition (each write is then a point replace the fake understands).</summary>
    private static JsonObject Stale(string id, string model = "text-embedding-ada-002")
    {
        var document = CosmosDocuments.Memory.Document(CosmosMemoryStoreTests.Record(id, userId: "user-" + id, text: "text of " + id) with
        {
            EmbeddingModel = model,
            Embedding = [1f, 0f],
        });
        document["_etag"] = $"\"etag-{id}\"";
        return document;
    }

    private static bool IsReplace(RecordedRequest r) => r.Method == HttpMethod.Put && r.Path.Contains("/colls/memories/docs/", StringComparison.Ordinal);

    private void AnswerQueries(params IReadOnlyList<JsonObject>[] pages)
    {
        var served = 0;
        _gateway.On(r => r.IsQuery, _ => FakeResponse.Documents(served < pages.Length ? pages[served++] : []));
    }

    [Fact]
    public async Task RunAsync_StaleMemories_ReplacesVectorAndModelUnderTheirEtag()
    {
        AnswerQueries([Stale("m1"), Stale("m2")]);
        _gateway.On(IsReplace, FakeResponse.Written(HttpStatusCode.OK));

        var result = await Reembedder().RunAsync();

        Assert.Equal(new ReembedResult(2, 0, MoreRemain: false), result);
        var query = _gateway.Queries[0];
        Assert.Equal(
            "SELECT TOP @n * FROM c WHERE c.embeddingModel != @embeddingModel AND NOT ARRAY_CONTAINS(@excluded, c.id)",
            query.QueryText);
        Assert.Equal(NewModel, query.QueryParameters["@embeddingModel"]!.GetValue<string>());
        Assert.Equal(MemoryReembedder.BatchSize, query.QueryParameters["@n"]!.GetValue<int>());
        Assert.Null(query.PartitionKey);

        var writes = _gateway.DocumentRequests.Where(IsReplace).ToList();
        Assert.Equal(["\"etag-m1\"", "\"etag-m2\""], writes.Select(w => w.Header("if-match")));
        var body = JsonNode.Parse(writes[0].Body)!.AsObject();
        Assert.Equal(NewModel, body["embeddingModel"]!.GetValue<string>());
        Assert.Equal([0.6f, 0.8f], body["embedding"]!.AsArray().Select(v => v!.GetValue<float>()));
        Assert.Equal("text of m1", body["memory"]!.GetValue<string>());
        Assert.Equal(Stale("m1")["updatedAt"]!.GetValue<string>(), body["updatedAt"]!.GetValue<string>());
        Assert.DoesNotContain(_gateway.DocumentRequests, r => r.Path.Contains("/colls/history/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_MemoryChangedMeanwhile_IsSkippedAndLeftOutOfTheNextPage()
    {
        AnswerQueries([Stale("m1"), Stale("m2")]);
        _gateway.On(IsReplace, FakeResponse.Written(HttpStatusCode.OK));
        _gateway.On(r => IsReplace(r) && r.Path.EndsWith("/m1", StringComparison.Ordinal), FakeResponse.Error(HttpStatusCode.PreconditionFailed));

        var result = await Reembedder().RunAsync();

        Assert.Equal(new ReembedResult(1, 1, MoreRemain: false), result);
        Assert.Equal(["m1"], _gateway.Queries[1].QueryParameters["@excluded"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task RunAsync_ManyStale_StopsAtTheRunBoundAndSaysMoreRemain()
    {
        var next = 0;
        _gateway.On(r => r.IsQuery, r => FakeResponse.Documents(
            Enumerable.Range(0, r.QueryParameters["@n"]!.GetValue<int>()).Select(_ => Stale("s" + next++)).ToList()));
        _gateway.On(IsReplace, FakeResponse.Written(HttpStatusCode.OK));

        var result = await Reembedder().RunAsync(maxMemories: 150);

        Assert.Equal(new ReembedResult(150, 0, MoreRemain: true), result);
        Assert.Equal(150, _gateway.DocumentRequests.Count(IsReplace));
        Assert.Equal([64, 64, 22], _gateway.Queries.Select(q => q.QueryParameters["@n"]!.GetValue<int>()));
    }

    [Fact]
    public async Task RunAsync_GeneratorWithoutModelId_TouchesNothing()
    {
        var result = await Reembedder(modelId: null).RunAsync();

        Assert.Equal(new ReembedResult(0, 0, MoreRemain: false), result);
        Assert.Empty(_gateway.DocumentRequests);
    }

    [Fact]
    public async Task ListEmbeddedByOtherModelsAsync_MapsTheDocuments()
    {
        AnswerQueries([Stale("m1")]);

        var stale = await _store.ListEmbeddedByOtherModelsAsync(NewModel, ["m0"], 10);

        var memory = Assert.Single(stale);
        Assert.Equal("text-embedding-ada-002", memory.EmbeddingModel);
        Assert.Equal("\"etag-m1\"", memory.ETag);
        Assert.Equal(["m0"], _gateway.Queries[0].QueryParameters["@excluded"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    /// <summary>Every text becomes (3, 4): normalised, (0.6, 0.8).</summary>
    private sealed class FixedEmbeddingGenerator(string? modelId) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 3f, 4f }))));

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) && modelId is not null
                ? new EmbeddingGeneratorMetadata("fixed", defaultModelId: modelId)
                : null;

        public void Dispose()
        {
        }
    }
}
