using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Mem0.Testing.Stores;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace Mem0.Core.Tests.Jobs;

/// <summary>The sweeper on the Durable in-process test host: orphaned events end FAILED, live jobs are left alone.</summary>
public sealed class JobSweeperTests
{
    private const string Finishes = "TestFinishesWithoutEndingEvent";
    private const string Waits = "TestWaitsForever";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Sweep_StaleRunningEventWithoutInstance_EndsFailedWithNeverStartedMessage()
    {
        await using var jobs = await StartAsync();
        var orphan = await RunningEventAsync(jobs);
        jobs.Engine.Time.Advance(StaleAfter + TimeSpan.FromSeconds(1));

        var result = await Sweeper(jobs).SweepAsync(jobs.Client, purgeFinished: false);

        var swept = (await jobs.Events.GetAsync(jobs.ProjectId, orphan.Id))!;
        Assert.Equal(1, result.EventsFailed);
        Assert.Equal(EventStatus.Failed, swept.Status);
        Assert.Equal(JobSweeper.OrphanMessage(null), swept.Error);
        Assert.Equal(jobs.Engine.Time.GetUtcNow(), swept.CompletedAt);
    }

    [Fact]
    public async Task Sweep_StaleRunningEventWhoseOrchestrationCompleted_EndsFailedNamingTheStatus()
    {
        await using var jobs = await StartAsync();
        var orphan = await RunningEventAsync(jobs);
        await RunToCompletionAsync(jobs, Finishes, orphan.Id);
        jobs.Engine.Time.Advance(StaleAfter + TimeSpan.FromSeconds(1));

        await Sweeper(jobs).SweepAsync(jobs.Client, purgeFinished: false);

        var swept = (await jobs.Events.GetAsync(jobs.ProjectId, orphan.Id))!;
        Assert.Equal(EventStatus.Failed, swept.Status);
        Assert.Equal(JobSweeper.OrphanMessage("Completed"), swept.Error);
        Assert.Contains("COMPLETED", swept.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_StaleEventWhoseOrchestrationIsStillRunning_IsLeftAlone()
    {
        await using var jobs = await StartAsync();
        var live = await RunningEventAsync(jobs);
        await StartAndWaitUntilRunningAsync(jobs, Waits, live.Id);
        jobs.Engine.Time.Advance(StaleAfter + TimeSpan.FromHours(5));

        var result = await Sweeper(jobs).SweepAsync(jobs.Client, purgeFinished: false);

        Assert.Equal(0, result.EventsFailed);
        Assert.Equal(EventStatus.Running, (await jobs.Events.GetAsync(jobs.ProjectId, live.Id))!.Status);
    }

    [Fact]
    public async Task Sweep_RecentEventWithoutInstance_IsLeftAlone()
    {
        // Recorded a moment ago: its orchestration may simply not be scheduled yet.
        await using var jobs = await StartAsync();
        var fresh = await RunningEventAsync(jobs);
        jobs.Engine.Time.Advance(StaleAfter - TimeSpan.FromSeconds(1));

        var result = await Sweeper(jobs).SweepAsync(jobs.Client, purgeFinished: false);

        Assert.Equal(0, result.EventsFailed);
        Assert.Equal(EventStatus.Running, (await jobs.Events.GetAsync(jobs.ProjectId, fresh.Id))!.Status);
    }

    [Fact]
    public async Task Sweep_StaleEventStillWaitingInTheHostsQueue_IsLeftAlone()
    {
        await using var jobs = await StartAsync();
        var queued = await RunningEventAsync(jobs);
        jobs.Engine.Time.Advance(StaleAfter * 3);
        var sweeper = new JobSweeper(
            new InMemoryProjectStore(InMemoryProjectStore.NewProject(jobs.ProjectId)),
            jobs.Events,
            new WaitingStarter(queued.Id),
            Options.Create(new JobsOptions { StaleAfter = StaleAfter }),
            jobs.Engine.Time,
            NullLogger<JobSweeper>.Instance);

        var result = await sweeper.SweepAsync(jobs.Client, purgeFinished: false);

        Assert.Equal(0, result.EventsFailed);
        Assert.Equal(EventStatus.Running, (await jobs.Events.GetAsync(jobs.ProjectId, queued.Id))!.Status);
    }

    [Fact]
    public async Task Sweep_EndedEvents_AreNotRewritten()
    {
        await using var jobs = await StartAsync();
        var done = await jobs.CreateEventAsync("ADD");
        await jobs.Events.UpdateAsync(done with { Status = EventStatus.Succeeded, CompletedAt = done.CreatedAt });
        jobs.Engine.Time.Advance(StaleAfter * 3);

        var result = await Sweeper(jobs).SweepAsync(jobs.Client, purgeFinished: false);

        Assert.Equal(0, result.EventsFailed);
        var after = (await jobs.Events.GetAsync(jobs.ProjectId, done.Id))!;
        Assert.Equal(EventStatus.Succeeded, after.Status);
        Assert.Null(after.Error);
    }

    [Fact]
    public async Task Sweep_PurgeFinished_PurgesEveryEndedStatusAfterLookingAtTheOrphans()
    {
        // The in-process host has no purge by filter, so the client is a mock: what matters is the filter and the order.
        var events = new InMemoryEventStore();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await events.CreateAsync(new MemoryEvent
        {
            Id = "orphan", ProjectId = "p1", EventType = "IMPORT", Status = EventStatus.Running, CreatedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow(),
        });
        time.Advance(StaleAfter * 2);
        var calls = new List<string>();
        PurgeInstancesFilter? filter = null;
        var client = new Mock<DurableTaskClient>("test");
        client.Setup(c => c.GetInstanceAsync("orphan", false, It.IsAny<CancellationToken>()))
            .Callback(() => calls.Add("get"))
            .ReturnsAsync(new OrchestrationMetadata("ImportMemoriesJob", "orphan") { RuntimeStatus = OrchestrationRuntimeStatus.Failed });
        client.Setup(c => c.PurgeAllInstancesAsync(It.IsAny<PurgeInstancesFilter>(), It.IsAny<CancellationToken>()))
            .Callback<PurgeInstancesFilter, CancellationToken>((f, _) => { calls.Add("purge"); filter = f; })
            .ReturnsAsync(new PurgeResult(3));
        var entities = new Mock<DurableEntityClient>("test");
        entities.Setup(e => e.CleanEntityStorageAsync(It.IsAny<CleanEntityStorageRequest?>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .Callback<CleanEntityStorageRequest?, bool, CancellationToken>((r, _, _) =>
            {
                calls.Add("clean");
                Assert.True(r!.Value.RemoveEmptyEntities);
            })
            .ReturnsAsync(new CleanEntityStorageResult { EmptyEntitiesRemoved = 2 });
        client.SetupGet(c => c.Entities).Returns(entities.Object);
        var sweeper = new JobSweeper(
            new InMemoryProjectStore(InMemoryProjectStore.NewProject("p1")), events, new ImmediateJobStarter(), Options.Create(new JobsOptions { StaleAfter = StaleAfter }), time, NullLogger<JobSweeper>.Instance);

        var result = await sweeper.SweepAsync(client.Object, purgeFinished: true);

        Assert.Equal(new JobSweepResult(1, 3, 2), result);
        Assert.Equal(["get", "purge", "clean"], calls);
        Assert.Equal(
            [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
            filter!.Statuses!.Order());
        Assert.Equal(time.GetUtcNow(), filter.CreatedTo);
        Assert.Equal(JobSweeper.OrphanMessage("Failed"), (await events.GetAsync("p1", "orphan"))!.Error);
    }

    private static Task<JobHarness> StartAsync() =>
        JobHarness.StartAsync(registerMore: registry =>
        {
            registry.AddOrchestratorFunc<string, string>(Finishes, (_, input) => Task.FromResult(input));
            registry.AddOrchestratorFunc<string, string>(Waits, (context, _) => context.WaitForExternalEvent<string>("never"));
        });

    private static JobSweeper Sweeper(JobHarness jobs) => new(
        new InMemoryProjectStore(InMemoryProjectStore.NewProject(jobs.ProjectId)),
        jobs.Events,
        new ImmediateJobStarter(),
        Options.Create(new JobsOptions { StaleAfter = StaleAfter }),
        jobs.Engine.Time,
        NullLogger<JobSweeper>.Instance);

    private static async Task<MemoryEvent> RunningEventAsync(JobHarness jobs)
    {
        var created = await jobs.CreateEventAsync("ADD");
        var running = created with { Status = EventStatus.Running, StartedAt = created.CreatedAt };
        await jobs.Events.UpdateAsync(running);
        return running;
    }

    private static async Task RunToCompletionAsync(JobHarness jobs, string orchestration, string instanceId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await jobs.Client.ScheduleNewOrchestrationInstanceAsync(
            orchestration, "x", new StartOrchestrationOptions { InstanceId = instanceId }, timeout.Token);
        var done = await jobs.Client.WaitForInstanceCompletionAsync(instanceId, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
    }

    private static async Task StartAndWaitUntilRunningAsync(JobHarness jobs, string orchestration, string instanceId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await jobs.Client.ScheduleNewOrchestrationInstanceAsync(
            orchestration, "x", new StartOrchestrationOptions { InstanceId = instanceId }, timeout.Token);
        await jobs.Client.WaitForInstanceStartAsync(instanceId, timeout.Token);
    }

    private sealed class WaitingStarter(string waitingId) : IJobStarter
    {
        public Task SubmitAsync(DurableTaskClient client, string projectId, string orchestration, object input, string instanceId, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public bool IsWaiting(string instanceId) => instanceId == waitingId;
    }
}
