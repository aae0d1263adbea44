using System.Text.Json.Nodes;
using Mem0.Azure.Cosmos;
using Mem0.Core.Memories;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>
/// The outbox behaviour of the shared ChangeOutboxConformanceTests, against <see cref="CosmosMemoryStore"/> over the
/// stateful fake gateway. Each change set here writes one memory per owner partition: the suite itself puts two memories
/// of one user in a change set, which the store sends as a transactional batch the fake cannot decode.
/// </summary>
public sealed class CosmosMemoryStoreOutboxTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeCosmosGateway _gateway = new();
    private readonly FakeCosmosDocuments _documents;
    private readonly CosmosContainers _containers;
    private readonly CosmosMemoryStore _store;

    public CosmosMemoryStoreOutboxTests()
    {
        _documents = new FakeCosmosDocuments(_gateway);
        _containers = _gateway.CreateContainers();
        _store = NewStore();
    }

    public void Dispose()
    {
        _containers.Client.Dispose();
        _gateway.Dispose();
    }

    private CosmosMemoryStore NewStore() => new(_containers, FakeCosmosGateway.CreateTelemetry());

    private static MemoryRecord Memory(string id, string projectId, string user) => new()
    {
        Id = id,
        ProjectId = projectId,
        Text = "text " + id,
        Hash = "hash" + id,
        Embedding = [1f, 0f, 0f],
        EmbeddingModel = "test",
        Scope = new MemoryScope(UserId: user),
        CreatedAt = s_t0,
        UpdatedAt = s_t0,
    };

    private static HistoryEntry History(string id, string memoryId, string projectId, string user, int minute = 0, HistoryEvent kind = HistoryEvent.Add) => new()
    {
        Id = id,
        ProjectId = projectId,
        MemoryId = memoryId,
        Event = kind,
        NewMemory = "text " + memoryId,
        Scope = new MemoryScope(UserId: user),
        Categories = ["food"],
        CreatedAt = s_t0.AddMinutes(minute),
        UpdatedAt = s_t0.AddMinutes(minute),
    };

    private Task AddAsync(string memoryId, string historyId, string projectId = "p1", string user = "alice", int minute = 0) =>
        _store.ApplyAsync(projectId, new MemoryChangeSet
        {
            Added = [Memory(memoryId, projectId, user)],
            History = [History(historyId, memoryId, projectId, user, minute)],
        });

    [Fact]
    public async Task ApplyAsync_History_IsWrittenUndispatched()
    {
        await AddAsync("m1", "h1");

        var stored = Assert.Single(_documents.In(CosmosContainerNames.History));
        Assert.False(stored["dispatched"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GetUndispatchedAsync_AfterChanges_ReturnsTheirHistoryAcrossProjectsOldestFirst()
    {
        await AddAsync("m2", "h2", "p2", "bob", minute: 2);
        await AddAsync("m1", "h1", "p1", "alice", minute: 1);

        var pending = await _store.GetUndispatchedAsync(10);

        Assert.Equal(["h1", "h2"], pending.Select(h => h.Id));
        Assert.Equal(["p1", "p2"], pending.Select(h => h.ProjectId));
        Assert.Equal("text m1", pending[0].NewMemory);
        Assert.Equal(["food"], pending[0].Categories);
        Assert.Equal("alice", pending[0].Scope.UserId);
    }

    [Fact]
    public async Task GetUndispatchedAsync_Query_IsCrossPartitionTopOnTheFlagOldestFirst()
    {
        await _store.GetUndispatchedAsync(7);

        var query = Assert.Single(_gateway.Queries);
        Assert.Null(query.PartitionKey);
        Assert.Contains("c.dispatched = false", query.QueryText, StringComparison.Ordinal);
        Assert.Contains("ORDER BY c.createdAt", query.QueryText, StringComparison.Ordinal);
        var definition = CosmosMemoryQueries.Undispatched(7);
        Assert.Equal("SELECT TOP @n * FROM c WHERE c.dispatched = false ORDER BY c.createdAt ASC", definition.QueryText);
        Assert.Equal(7, definition.GetQueryParameters().Single(p => p.Name == "@n").Value);
    }

    [Fact]
    public async Task GetUndispatchedAsync_MaxCount_Limits()
    {
        await AddAsync("m1", "h1", user: "alice", minute: 1);
        await AddAsync("m2", "h2", user: "bob", minute: 2);

        Assert.Equal(["h1"], (await _store.GetUndispatchedAsync(1)).Select(h => h.Id));
    }

    [Fact]
    public async Task MarkDispatchedAsync_Some_PatchesThemAndLeavesTheRestPending()
    {
        await AddAsync("m1", "h1", user: "alice", minute: 1);
        await AddAsync("m2", "h2", user: "bob", minute: 2);
        await _store.GetUndispatchedAsync(10);

        await _store.MarkDispatchedAsync(["h1", "unknown"]);
        await _store.MarkDispatchedAsync(["h1"]);

        Assert.Equal(["h2"], (await _store.GetUndispatchedAsync(10)).Select(h => h.Id));
        var patches = _gateway.DocumentRequests.Where(r => r.Method == HttpMethod.Patch).ToList();
        Assert.NotEmpty(patches);
        Assert.All(patches, patch =>
        {
            Assert.Equal("""["p1","m1"]""", patch.PartitionKey);
            Assert.Contains("\"/dispatched\"", patch.Body, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task MarkDispatchedAsync_AnotherInstance_LocatesThePartitionsThenPatches()
    {
        await AddAsync("m1", "h1");

        await NewStore().MarkDispatchedAsync(["h1"]);

        Assert.Empty(await _store.GetUndispatchedAsync(10));
        var locate = Assert.Single(_gateway.Queries, q => q.QueryText!.Contains("ARRAY_CONTAINS(@ids, c.id)", StringComparison.Ordinal));
        Assert.Null(locate.PartitionKey);
        Assert.Equal(["h1"], locate.QueryParameters["@ids"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task ApplyAsync_Failed_LeavesNothingPending()
    {
        await AddAsync("m1", "h1");
        await _store.MarkDispatchedAsync(["h1"]);

        await Assert.ThrowsAnyAsync<Exception>(() => AddAsync("m1", "h2"));

        Assert.Empty(await _store.GetUndispatchedAsync(10));
    }

    [Fact]
    public async Task ApplyAsync_Delete_IsPendingWithItsHistory()
    {
        await AddAsync("m1", "h1");
        var stored = await _store.GetAsync("p1", "m1");
        await _store.ApplyAsync("p1", new MemoryChangeSet { Deleted = [stored!], History = [History("h2", "m1", "p1", "alice", 1, HistoryEvent.Delete)] });

        var pending = await _store.GetUndispatchedAsync(10);

        Assert.Equal([HistoryEvent.Add, HistoryEvent.Delete], pending.Select(h => h.Event));
    }

    [Fact]
    public async Task GetUndispatchedAsync_HistoryWrittenBeforeTheFlag_IsNotPickedUp()
    {
        var legacy = new JsonObject
        {
            ["id"] = "old",
            ["projectId"] = "p1",
            ["memoryId"] = "m0",
            ["event"] = "add",
            ["createdAt"] = CosmosJson.FormatTime(s_t0),
            ["updatedAt"] = CosmosJson.FormatTime(s_t0),
        };
        await _containers.History.CreateItemAsync(legacy, CosmosMemoryStore.HistoryPartition("p1", "m0"));

        Assert.Empty(await _store.GetUndispatchedAsync(10));
    }
}
