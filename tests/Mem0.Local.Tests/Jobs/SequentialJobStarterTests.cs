using System.Collections.Concurrent;
using Mem0.Core.Events;
using Mem0.Local.Jobs;
using Mem0.Testing.Stores;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Mem0.Local.Tests.Jobs;

/// <summary>
/// The local job lane on the embedded backend the server runs (<see cref="TaskHubJobWorker"/> over the in-memory
/// orchestration service, <see cref="TaskHubJobClient"/>): one orchestration at a time, in order, purged when done.
/// </summary>
public sealed class SequentialJobStarterTests
{
    private const string Project = "p1";
    private const string Steps = "TestSteps";
    private const string Gated = "TestGated";

    [Fact]
    public async Task Submit_SeveralJobs_RunOneAtATimeInOrder_AndEachIsPurgedWhenItEnds()
    {
        var log = new ConcurrentQueue<string>();
        await using var host = await StartHostAsync(log);
        var lane = await StartLaneAsync(host, new InMemoryEventStore());
        var ids = Enumerable.Range(0, 5).Select(i => $"job-{i}").ToList();

        foreach (var id in ids)
        {
            await lane.SubmitAsync(host.Client, Project, Steps, id, id, CancellationToken.None);
        }

        await WaitUntilAsync(() => log.Count(e => e.StartsWith("end ", StringComparison.Ordinal)) == ids.Count && lane.WaitingCount == 0);
        Assert.Equal(ids.SelectMany(id => new[] { "start " + id, "end " + id }), log);
        foreach (var id in ids)
        {
            await WaitUntilAsync(async () => await host.Client.GetInstanceAsync(id) is null);
        }

        await lane.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Submit_BehindARunningJob_IsWaitingUntilItsTurn()
    {
        await using var host = await StartHostAsync(new ConcurrentQueue<string>());
        var lane = await StartLaneAsync(host, new InMemoryEventStore());
        await lane.SubmitAsync(host.Client, Project, Gated, "x", "first", CancellationToken.None);
        await WaitUntilAsync(async () => await host.Client.GetInstanceAsync("first") is { RuntimeStatus: OrchestrationRuntimeStatus.Running });

        await lane.SubmitAsync(host.Client, Project, Gated, "x", "second", CancellationToken.None);

        Assert.True(lane.IsWaiting("second"));
        Assert.False(lane.IsWaiting("first"));
        Assert.Null(await host.Client.GetInstanceAsync("second"));

        await host.Client.RaiseEventAsync("first", "go", "x");
        await WaitUntilAsync(() => !lane.IsWaiting("second"));
        await host.Client.RaiseEventAsync("second", "go", "x");
        await WaitUntilAsync(async () => await host.Client.GetInstanceAsync("second") is null);
        await lane.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Submit_OneProjectsBurstThenAnotherProjectsJob_TheOtherProjectRunsNext()
    {
        var log = new ConcurrentQueue<string>();
        await using var host = await StartHostAsync(log);
        var lane = await StartLaneAsync(host, new InMemoryEventStore());
        await lane.SubmitAsync(host.Client, "B", Gated, "x", "b-running", CancellationToken.None);
        await WaitUntilAsync(async () => await host.Client.GetInstanceAsync("b-running") is { RuntimeStatus: OrchestrationRuntimeStatus.Running });
        foreach (var id in new[] { "b1", "b2", "b3" })
        {
            await lane.SubmitAsync(host.Client, "B", Steps, id, id, CancellationToken.None);
        }

        await lane.SubmitAsync(host.Client, "A", Steps, "a1", "a1", CancellationToken.None);
        await host.Client.RaiseEventAsync("b-running", "go", "x");

        await WaitUntilAsync(() => log.Count(e => e.StartsWith("end ", StringComparison.Ordinal)) == 4 && lane.WaitingCount == 0);
        Assert.Equal(["a1", "b1", "b2", "b3"], log.Where(e => e.StartsWith("start ", StringComparison.Ordinal)).Select(e => e["start ".Length..]));
        await lane.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Submit_OrchestrationThatCannotBeScheduled_EndsItsEventFailed()
    {
        await using var host = await StartHostAsync(new ConcurrentQueue<string>());
        var events = new InMemoryEventStore();
        var now = DateTimeOffset.UtcNow;
        await events.CreateAsync(new MemoryEvent { Id = "bad", ProjectId = Project, EventType = "ADD", Status = EventStatus.Pending, CreatedAt = now, UpdatedAt = now });
        var lane = await StartLaneAsync(host, events);
        var cyclic = new Node();
        cyclic.Next = cyclic;

        // The input cannot be serialized, so scheduling throws after the request was accepted.
        await lane.SubmitAsync(host.Client, Project, Steps, cyclic, "bad", CancellationToken.None);

        await WaitUntilAsync(async () => (await events.GetAsync(Project, "bad"))!.Status == EventStatus.Failed);
        Assert.Equal("The job could not be started; submit it again.", (await events.GetAsync(Project, "bad"))!.Error);
        Assert.False(lane.IsWaiting("bad"));
        await lane.StopAsync(CancellationToken.None);
    }

    private static async Task<SequentialJobStarter> StartLaneAsync(EmbeddedBackend host, IEventStore events)
    {
        var lane = new SequentialJobStarter(host.Client, events, new FakeTimeProvider(DateTimeOffset.UtcNow), NullLogger<SequentialJobStarter>.Instance);
        await lane.StartAsync(CancellationToken.None);
        return lane;
    }

    private static async Task<EmbeddedBackend> StartHostAsync(ConcurrentQueue<string> log)
    {
        var registry = new DurableTaskRegistry();
        registry.AddActivityFunc<string, string>("Log", (_, entry) =>
        {
            log.Enqueue(entry);
            return entry;
        });
        registry.AddOrchestratorFunc<string, string>(Steps, async (context, id) =>
        {
            await context.CallActivityAsync<string>("Log", "start " + id);
            await context.CallActivityAsync<string>("Log", "end " + id);
            return id;
        });
        registry.AddOrchestratorFunc<string, string>(Gated, (context, _) => context.WaitForExternalEvent<string>("go"));
        var service = new InMemoryOrchestrationService(NullLoggerFactory.Instance);
        var provider = new ServiceCollection().BuildServiceProvider();
        var worker = new TaskHubJobWorker(service, registry, provider, NullLoggerFactory.Instance);
        await worker.StartAsync(CancellationToken.None);
        return new EmbeddedBackend(worker, new TaskHubJobClient(service), provider);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    private sealed class EmbeddedBackend(TaskHubJobWorker worker, DurableTaskClient client, ServiceProvider provider) : IAsyncDisposable
    {
        public DurableTaskClient Client { get; } = client;

        public async ValueTask DisposeAsync()
        {
            await worker.DisposeAsync();
            await provider.DisposeAsync();
        }
    }
}
