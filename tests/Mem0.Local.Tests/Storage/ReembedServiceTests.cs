using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;
using Mem0.Local.Storage;
using Mem0.Testing.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Local.Tests.Storage;

public sealed class ReembedServiceTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task StartAsync_MemoriesOfAnotherModel_ReembedsThemWithTheCurrentModelOnly()
    {
        var store = new SqliteMemoryStore(_database.Database, NullLogger<SqliteMemoryStore>.Instance);
        var generator = new HashingEmbeddingGenerator();
        var current = (await generator.GenerateAsync(["already current"]))[0].Vector.ToArray();
        await store.ApplyAsync("p1", new MemoryChangeSet { Added = [Memory("a", "p1", "likes green tea", [1, 0, 0], "old-model"), Memory("c", "p1", "already current", current, HashingEmbeddingGenerator.ModelId)] });
        await store.ApplyAsync("p2", new MemoryChangeSet { Added = [Memory("b", "p2", "plays the cello", [0, 1, 0], "old-model")] });
        var query = (await generator.GenerateAsync(["likes green tea"], EmbeddingPurpose.ForQuery()))[0].Vector.ToArray();

        // Before: a vector of another model is never compared with the query's.
        Assert.DoesNotContain(await store.SearchAsync("p1", Search(query, "likes green tea")), hit => hit.Memory.Id == "a");

        using var service = new ReembedService(store, generator, NullLogger<ReembedService>.Instance);
        await service.StartAsync(CancellationToken.None);
        var count = await service.Completed.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, count);
        var a = (await store.GetAsync("p1", "a"))!;
        var b = (await store.GetAsync("p2", "b"))!;
        Assert.Equal(HashingEmbeddingGenerator.ModelId, a.EmbeddingModel);
        Assert.Equal(HashingEmbeddingGenerator.ModelId, b.EmbeddingModel);
        Assert.Equal(generator.Dimensions, a.Embedding.Length);
        Assert.Equal("likes green tea", a.Text);
        Assert.Equal(T0, a.UpdatedAt);
        Assert.Empty(await store.GetHistoryAsync("p1", "a"));
        Assert.Equal("1", (await store.GetAsync("p1", "c"))!.ETag);

        var hits = await store.SearchAsync("p1", Search(query, "likes green tea"));
        Assert.Equal("a", hits[0].Memory.Id);
    }

    private static MemorySearchQuery Search(float[] vector, string text) => new()
    {
        Filter = FilterNode.All,
        Vector = vector,
        EmbeddingModel = HashingEmbeddingGenerator.ModelId,
        QueryText = text,
        Today = new DateOnly(2024, 6, 1),
    };

    private static MemoryRecord Memory(string id, string projectId, string text, float[] embedding, string model) => new()
    {
        Id = id,
        ProjectId = projectId,
        Text = text,
        Hash = "h-" + id,
        Embedding = embedding,
        EmbeddingModel = model,
        Scope = new MemoryScope("u"),
        CreatedAt = T0,
        UpdatedAt = T0,
    };
}
