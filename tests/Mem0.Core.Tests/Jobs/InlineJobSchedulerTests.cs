using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Testing.AI;
using Mem0.Testing.Engine;
using Mem0.Testing.Jobs;
using Mem0.Testing.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Tests.Jobs;

public sealed class InlineJobSchedulerTests
{
    [Fact]
    public async Task ScheduleAdd_EngineSucceeds_EventSucceededWithWireResults()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());
        var events = new InMemoryEventStore();
        var pending = await CreatePendingAsync(events, harness);
        var scheduler = NewInlineScheduler(harness, events);

        await scheduler.ScheduleAddAsync(pending, Request(harness));

        var done = await events.GetAsync(EngineHarness.ProjectId, pending.Id);
        Assert.Equal(EventStatus.Succeeded, done!.Status);
        var first = done.Results!.Value[0];
        Assert.Equal("ADD", first.GetProperty("event").GetString());
        Assert.Equal("alice", first.GetProperty("user_id").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("data").GetProperty("memory").GetString()));
        Assert.NotNull(done.CompletedAt);
        Assert.NotNull(done.StartedAt);
    }

    [Fact]
    public async Task ScheduleAdd_ModelReturnsGarbage_EventFailedWithReason()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore(), new ScriptedChatClient(_ => "this is not json"));
        var events = new InMemoryEventStore();
        var pending = await CreatePendingAsync(events, harness);
        var scheduler = NewInlineScheduler(harness, events);

        await scheduler.ScheduleAddAsync(pending, Request(harness));

        var done = await events.GetAsync(EngineHarness.ProjectId, pending.Id);
        Assert.Equal(EventStatus.Failed, done!.Status);
        Assert.False(string.IsNullOrEmpty(done.Error));
        Assert.NotNull(done.CompletedAt);
    }

    [Fact]
    public async Task ScheduleAdd_EventAlreadyFinished_LeavesItAndAddsNothing()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());
        var events = new InMemoryEventStore();
        var pending = await CreatePendingAsync(events, harness);
        var failed = EventLifecycle.Fail(pending, harness.Time.GetUtcNow(), "cancelled by the sweeper");
        await events.UpdateAsync(failed);
        var scheduler = NewInlineScheduler(harness, events);

        await scheduler.ScheduleAddAsync(pending, Request(harness));

        var after = await events.GetAsync(EngineHarness.ProjectId, pending.Id);
        Assert.Equal(EventStatus.Failed, after!.Status);
        Assert.Equal("cancelled by the sweeper", after.Error);
        Assert.Null(after.Results);
    }

    private static AddMemoriesRequest Request(EngineHarness harness) =>
        EngineHarness.Add(new MemoryScope(UserId: "alice"), "I live in Lisbon and I play badminton.");

    private static async Task<MemoryEvent> CreatePendingAsync(InMemoryEventStore events, EngineHarness harness)
    {
        var now = harness.Time.GetUtcNow();
        var pending = new MemoryEvent
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = EngineHarness.ProjectId,
            EventType = "ADD",
            Status = EventStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await events.CreateAsync(pending);
        return pending;
    }

    private static InlineJobScheduler NewInlineScheduler(EngineHarness harness, InMemoryEventStore events) =>
        new(
            harness.Service,
            new EventLifecycle(events, harness.Time),
            new JobActivities(harness.Service, events, new EventLifecycle(events, harness.Time), new InMemoryJobPayloadStore(), NullLogger<JobActivities>.Instance),
            Options.Create(new JobsOptions()),
            NullLogger<InlineJobScheduler>.Instance);
}
