using Mem0.Core.Memories;

namespace Mem0.Testing.Stores;

/// <summary>
/// The outbox behaviour every memory store that implements <see cref="IMemoryChangeOutbox"/> must show: history written
/// by <see cref="IMemoryStore.ApplyAsync"/> is pending until marked, across projects, oldest first; a failed change set
/// leaves nothing pending.
/// </summary>
public abstract class ChangeOutboxConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private IMemoryStore? _store;

    protected IMemoryStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected IMemoryChangeOutbox Outbox => (IMemoryChangeOutbox)Store;

    /// <summary>A fresh empty store that also implements <see cref="IMemoryChangeOutbox"/>.</summary>
    protected abstract Task<IMemoryStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static MemoryRecord Memory(string id, string projectId) => new()
    {
        Id = id,
        ProjectId = projectId,
        Text = "text " + id,
        Hash = "hash" + id,
        Embedding = [1f, 0f, 0f],
        EmbeddingModel = "test",
        Scope = new MemoryScope(UserId: "alice"),
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    private static HistoryEntry History(string id, string memoryId, string projectId, HistoryEvent kind = HistoryEvent.Add) => new()
    {
        Id = id,
        ProjectId = projectId,
        MemoryId = memoryId,
        Event = kind,
        NewMemory = "text " + memoryId,
        Scope = new MemoryScope(UserId: "alice"),
        Categories = ["food"],
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    [Fact]
    public void Store_Always_ImplementsOutbox()
    {
        Assert.IsAssignableFrom<IMemoryChangeOutbox>(Store);
    }

    [Fact]
    public async Task GetUndispatchedAsync_AfterChanges_ReturnsTheirHistoryAcrossProjectsOldestFirst()
    {
        await Store.ApplyAsync("p1", new MemoryChangeSet { Added = [Memory("m1", "p1")], History = [History("h1", "m1", "p1")] });
        await Store.ApplyAsync("p2", new MemoryChangeSet { Added = [Memory("m2", "p2")], History = [History("h2", "m2", "p2")] });

        var pending = await Outbox.GetUndispatchedAsync(10);

        Assert.Equal(["h1", "h2"], pending.Select(h => h.Id));
        Assert.Equal(["p1", "p2"], pending.Select(h => h.ProjectId));
        Assert.Equal("text m1", pending[0].NewMemory);
        Assert.Equal(["food"], pending[0].Categories);
    }

    [Fact]
    public async Task GetUndispatchedAsync_MaxCount_Limits()
    {
        await Store.ApplyAsync("p1", new MemoryChangeSet
        {
            Added = [Memory("m1", "p1"), Memory("m2", "p1")],
            History = [History("h1", "m1", "p1"), History("h2", "m2", "p1")],
        });

        Assert.Equal(["h1"], (await Outbox.GetUndispatchedAsync(1)).Select(h => h.Id));
    }

    [Fact]
    public async Task MarkDispatchedAsync_Some_LeavesTheRestPending()
    {
        await Store.ApplyAsync("p1", new MemoryChangeSet
        {
            Added = [Memory("m1", "p1"), Memory("m2", "p1")],
            History = [History("h1", "m1", "p1"), History("h2", "m2", "p1")],
        });

        await Outbox.MarkDispatchedAsync(["h1", "unknown"]);
        await Outbox.MarkDispatchedAsync(["h1"]);

        Assert.Equal(["h2"], (await Outbox.GetUndispatchedAsync(10)).Select(h => h.Id));
    }

    [Fact]
    public async Task ApplyAsync_Failed_LeavesNothingPending()
    {
        await Store.ApplyAsync("p1", new MemoryChangeSet { Added = [Memory("m1", "p1")], History = [History("h1", "m1", "p1")] });
        await Outbox.MarkDispatchedAsync(["h1"]);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.ApplyAsync("p1", new MemoryChangeSet
        {
            Added = [Memory("m1", "p1")],
            History = [History("h2", "m1", "p1")],
        }));

        Assert.Empty(await Outbox.GetUndispatchedAsync(10));
    }

    [Fact]
    public async Task ApplyAsync_Delete_IsPendingWithItsHistory()
    {
        await Store.ApplyAsync("p1", new MemoryChangeSet { Added = [Memory("m1", "p1")], History = [History("h1", "m1", "p1")] });
        var stored = await Store.GetAsync("p1", "m1");
        await Store.ApplyAsync("p1", new MemoryChangeSet { Deleted = [stored!], History = [History("h2", "m1", "p1", HistoryEvent.Delete)] });

        var pending = await Outbox.GetUndispatchedAsync(10);

        Assert.Equal([HistoryEvent.Add, HistoryEvent.Delete], pending.Select(h => h.Event));
    }
}
