using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Events;

namespace Mem0.Testing.Stores;

/// <summary>The behaviour every <see cref="IEventStore"/> must show. Derive and return a fresh empty store.</summary>
public abstract class EventStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private IEventStore? _store;

    protected IEventStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected abstract Task<IEventStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateAsync_ThenGet_RoundTrips()
    {
        using var payload = JsonDocument.Parse("""{"messages":[{"role":"user","content":"hi"}]}""");
        await Store.CreateAsync(Event("e1", "p1", T0) with
        {
            Payload = payload.RootElement.Clone(),
            Progress = new EventProgress(3, 1, 1, [new ItemFailure(2, "x", "bad")]),
        });

        var stored = await Store.GetAsync("p1", "e1");
        Assert.NotNull(stored);
        Assert.Equal("ADD", stored.EventType);
        Assert.Equal(EventStatus.Pending, stored.Status);
        Assert.Equal("hi", stored.Payload!.Value.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(3, stored.Progress!.Total);
        Assert.Equal("bad", Assert.Single(stored.Progress.Failures).Reason);
        Assert.Equal(T0, stored.CreatedAt);
    }

    [Fact]
    public async Task ListUnfinishedAsync_PendingAndRunningOfThatTypeAndProjectOnly()
    {
        await Store.CreateAsync(Event("pending", "p1", T0) with { EventType = "DELETE" });
        await Store.CreateAsync(Event("running", "p1", T0) with { EventType = "DELETE", Status = EventStatus.Running });
        await Store.CreateAsync(Event("done", "p1", T0) with { EventType = "DELETE", Status = EventStatus.Succeeded });
        await Store.CreateAsync(Event("failed", "p1", T0) with { EventType = "DELETE", Status = EventStatus.Failed });
        await Store.CreateAsync(Event("add", "p1", T0));
        await Store.CreateAsync(Event("other-project", "p2", T0) with { EventType = "DELETE" });

        var unfinished = await Store.ListUnfinishedAsync("p1", "DELETE");

        Assert.Equal(["pending", "running"], unfinished.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task GetAsync_OtherProject_ReturnsNull()
    {
        await Store.CreateAsync(Event("e1", "p1", T0));
        Assert.Null(await Store.GetAsync("p2", "e1"));
    }

    [Fact]
    public async Task UpdateAsync_Existing_Replaces()
    {
        await Store.CreateAsync(Event("e1", "p1", T0));
        using var results = JsonDocument.Parse("""[{"id":"m1","event":"ADD"}]""");
        await Store.UpdateAsync(Event("e1", "p1", T0) with
        {
            Status = EventStatus.Succeeded,
            Results = results.RootElement.Clone(),
            CompletedAt = T0.AddSeconds(2),
        });

        var stored = (await Store.GetAsync("p1", "e1"))!;
        Assert.Equal(EventStatus.Succeeded, stored.Status);
        Assert.Equal("m1", stored.Results!.Value[0].GetProperty("id").GetString());
        Assert.Equal(2000, stored.LatencyMs);
    }

    [Fact]
    public async Task UpdateAsync_Missing_ThrowsNotFound()
    {
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Store.UpdateAsync(Event("ghost", "p1", T0)));
        Assert.Equal(ResourceKind.Event, missing.Resource);
    }

    [Fact]
    public async Task ListAsync_NewestFirst_PagedWithTotal()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.CreateAsync(Event("e" + i, "p1", T0.AddMinutes(i)));
        }

        await Store.CreateAsync(Event("other", "p2", T0));

        var first = await Store.ListAsync("p1", new EventListQuery(Page: 1, PageSize: 2));
        var third = await Store.ListAsync("p1", new EventListQuery(Page: 3, PageSize: 2));
        Assert.Equal(5, first.TotalCount);
        Assert.Equal(["e4", "e3"], first.Items.Select(e => e.Id));
        Assert.Equal(["e0"], third.Items.Select(e => e.Id));
    }

    [Fact]
    public async Task ListAsync_StatusAndTypeFilters()
    {
        await Store.CreateAsync(Event("e1", "p1", T0));
        await Store.CreateAsync(Event("e2", "p1", T0.AddMinutes(1)) with { Status = EventStatus.Failed });
        await Store.CreateAsync(Event("e3", "p1", T0.AddMinutes(2)) with { EventType = "IMPORT", Status = EventStatus.Failed });

        var failed = await Store.ListAsync("p1", new EventListQuery(Status: EventStatus.Failed));
        var imports = await Store.ListAsync("p1", new EventListQuery(EventType: "IMPORT"));
        Assert.Equal(["e3", "e2"], failed.Items.Select(e => e.Id));
        Assert.Equal(2, failed.TotalCount);
        Assert.Equal(["e3"], imports.Items.Select(e => e.Id));
    }

    protected static MemoryEvent Event(string id, string projectId, DateTimeOffset createdAt) => new()
    {
        Id = id,
        ProjectId = projectId,
        EventType = "ADD",
        Status = EventStatus.Pending,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };
}
