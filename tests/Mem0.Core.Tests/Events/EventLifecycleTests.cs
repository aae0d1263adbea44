using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Microsoft.Extensions.Time.Testing;

namespace Mem0.Core.Tests.Events;

public sealed class EventLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly InMemoryEventStore _store = new();
    private readonly FakeTimeProvider _time = new(T0);

    private EventLifecycle Lifecycle => new(_store, _time);

    [Fact]
    public void Pending_NewEvent_HasTypeStatusAndCreationTimeOnly()
    {
        var memoryEvent = EventLifecycle.Pending("p1", EventTypes.Import, T0, progress: new EventProgress(5, 0, 0, []));

        Assert.Equal((EventTypes.Import, EventStatus.Pending, T0, T0), (memoryEvent.EventType, memoryEvent.Status, memoryEvent.CreatedAt, memoryEvent.UpdatedAt));
        Assert.Null(memoryEvent.StartedAt);
        Assert.Null(memoryEvent.CompletedAt);
        Assert.Equal(5, memoryEvent.Progress!.Total);
    }

    [Fact]
    public void Start_Running_KeepsItsFirstStartTime()
    {
        var running = EventLifecycle.Start(EventLifecycle.Pending("p1", EventTypes.Add, T0), T0.AddSeconds(1));

        var again = EventLifecycle.Start(running, T0.AddSeconds(5));

        Assert.Equal(EventStatus.Running, again.Status);
        Assert.Equal(T0.AddSeconds(1), again.StartedAt);
    }

    [Fact]
    public void Succeed_NeverStarted_StartsAndCompletesAtOnceWithResults()
    {
        using var results = JsonDocument.Parse("""[{"deleted": 3}]""");

        var done = EventLifecycle.Succeed(EventLifecycle.Pending("p1", EventTypes.Delete, T0), T0.AddSeconds(2), results.RootElement);

        Assert.Equal(EventStatus.Succeeded, done.Status);
        Assert.Equal((T0.AddSeconds(2), T0.AddSeconds(2)), (done.StartedAt, done.CompletedAt));
        Assert.Equal(2000, done.LatencyMs);
        Assert.Equal(3, done.Results!.Value[0].GetProperty("deleted").GetInt32());
    }

    [Fact]
    public void Fail_Running_EndsFailedWithTheReason()
    {
        var running = EventLifecycle.Start(EventLifecycle.Pending("p1", EventTypes.Add, T0), T0);

        var failed = EventLifecycle.Fail(running, T0.AddSeconds(3), "model unavailable");

        Assert.Equal((EventStatus.Failed, "model unavailable", T0.AddSeconds(3)), (failed.Status, failed.Error, failed.CompletedAt));
    }

    [Theory]
    [InlineData(EventStatus.Succeeded)]
    [InlineData(EventStatus.Failed)]
    public void Transitions_FromAFinishedEvent_AreRefused(EventStatus finished)
    {
        var ended = EventLifecycle.Pending("p1", EventTypes.Add, T0) with { Status = finished };

        Assert.Throws<InvalidOperationException>(() => EventLifecycle.Start(ended, T0));
        Assert.Throws<InvalidOperationException>(() => EventLifecycle.Succeed(ended, T0));
        Assert.Throws<InvalidOperationException>(() => EventLifecycle.Fail(ended, T0, "late"));
    }

    [Fact]
    public async Task StartAsync_ThenCompleteAsync_StoresEachTransition()
    {
        var created = await Lifecycle.CreatePendingAsync("p1", EventTypes.Add);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.NotNull(await Lifecycle.StartAsync("p1", created.Id));
        Assert.Equal(EventStatus.Running, (await _store.GetAsync("p1", created.Id))!.Status);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Lifecycle.CompleteAsync("p1", created.Id);

        var stored = (await _store.GetAsync("p1", created.Id))!;
        Assert.Equal(EventStatus.Succeeded, stored.Status);
        Assert.Equal((T0.AddSeconds(1), T0.AddSeconds(2)), (stored.StartedAt, stored.CompletedAt));
    }

    [Fact]
    public async Task CompleteAsync_AfterFailAsync_LeavesTheFailureAsItIs()
    {
        var created = await Lifecycle.CreatePendingAsync("p1", EventTypes.Import);
        await Lifecycle.FailAsync("p1", created.Id, "payload missing");

        var late = await Lifecycle.CompleteAsync("p1", created.Id);

        Assert.Null(late);
        Assert.Equal((EventStatus.Failed, "payload missing"), ((await _store.GetAsync("p1", created.Id))!.Status, (await _store.GetAsync("p1", created.Id))!.Error));
    }

    [Fact]
    public async Task StartAsync_UnknownEvent_ReturnsNull()
    {
        Assert.Null(await Lifecycle.StartAsync("p1", "missing"));
    }

    [Fact]
    public async Task RecordSucceededAsync_WorkDoneSinceStart_StoresAFinishedEventWithItsLatency()
    {
        var started = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMilliseconds(250));

        var recorded = await Lifecycle.RecordSucceededAsync("p1", EventTypes.Feedback, started);

        var stored = (await _store.GetAsync("p1", recorded.Id))!;
        Assert.Equal((EventStatus.Succeeded, started, 250.0), (stored.Status, stored.CreatedAt, stored.LatencyMs));
    }

    [Fact]
    public async Task ReportAsync_UnknownEvent_ThrowsEventNotFound()
    {
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => Lifecycle.ReportAsync("p1", "missing", new EventProgress(1, 1, 0, [])));

        Assert.Equal(ResourceKind.Event, ex.Resource);
    }
}
