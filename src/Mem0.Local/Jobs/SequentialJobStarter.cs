using System.Collections.Concurrent;
using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Local.Jobs;

/// <summary>
/// Runs the local server's jobs one orchestration at a time, in the order they were accepted within a project and
/// round-robin between projects (<see cref="ProjectFairQueue{T}"/>), and purges each one's
/// history as soon as it ends. The in-process Durable backend dispatches at most one work item per core and, once
/// that many are in flight, re-checks only every 500 ms: with many instances in flight (a burst of async adds, or an
/// import beside an add) each orchestration took over a second, where one at a time takes about 10 ms. Queuing here
/// instead of in the backend keeps it on that fast path; per-scope ordering of adds was serial anyway.
/// </summary>
public sealed partial class SequentialJobStarter(
    DurableTaskClient client,
    IEventStore events,
    TimeProvider timeProvider,
    ILogger<SequentialJobStarter> logger) : BackgroundService, IJobStarter
{
    // Which waiting job starts next is decided per project, round-robin (see ProjectFairQueue).
    private readonly ProjectFairQueue<QueuedJob> _queue = new();
    private readonly ConcurrentDictionary<string, byte> _waiting = new(StringComparer.Ordinal);

    /// <summary>Jobs accepted and not started yet.</summary>
    public int WaitingCount => _waiting.Count;

    public Task SubmitAsync(DurableTaskClient callerClient, string projectId, string orchestration, object input, string instanceId, CancellationToken cancellationToken)
    {
        // The lane schedules later with its own client (the host's); locally the caller's is the same instance.
        _waiting.TryAdd(instanceId, 0);
        if (!_queue.TryEnqueue(projectId, new QueuedJob(projectId, orchestration, input, instanceId)))
        {
            _waiting.TryRemove(instanceId, out _);
            throw new InvalidOperationException("The server is stopping and accepts no new jobs.");
        }

        return Task.CompletedTask;
    }

    public bool IsWaiting(string instanceId) => _waiting.ContainsKey(instanceId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.TryDequeueAsync(stoppingToken) is (true, var job))
            {
                await RunAsync(job, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: jobs still queued keep their PENDING event, which the next start marks FAILED.
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Complete();
        return base.StopAsync(cancellationToken);
    }

    private async Task RunAsync(QueuedJob job, CancellationToken stoppingToken)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                job.Orchestration, job.Input, new StartOrchestrationOptions { InstanceId = job.InstanceId }, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            _waiting.TryRemove(job.InstanceId, out _);
            LogStartFailed(logger, job.InstanceId, ex);
            await FailAsync(job, "The job could not be started; submit it again.", stoppingToken);
            return;
        }

        _waiting.TryRemove(job.InstanceId, out _);
        try
        {
            await client.WaitForInstanceCompletionAsync(job.InstanceId, getInputsAndOutputs: false, stoppingToken);

            // The event holds the results; the instance's history would only keep ids and reasons in memory.
            await client.PurgeInstanceAsync(job.InstanceId, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The orchestration ends its own event; a failed wait or purge only leaves history for the sweeper.
            LogWaitFailed(logger, job.InstanceId, ex);
        }
    }

    private async Task FailAsync(QueuedJob job, string message, CancellationToken cancellationToken)
    {
        try
        {
            var memoryEvent = await events.GetAsync(job.ProjectId, job.InstanceId, cancellationToken);
            if (memoryEvent is { Status: EventStatus.Pending or EventStatus.Running })
            {
                await events.UpdateAsync(EventLifecycle.Fail(memoryEvent, timeProvider.GetUtcNow(), message), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The sweeper ends it later (no instance, not waiting).
            LogWaitFailed(logger, job.InstanceId, ex);
        }
    }

    [LoggerMessage(EventId = 3202, Level = LogLevel.Error, Message = "Job {EventId} could not be scheduled")]
    private static partial void LogStartFailed(ILogger logger, string eventId, Exception exception);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Waiting for or purging job {EventId} failed")]
    private static partial void LogWaitFailed(ILogger logger, string eventId, Exception exception);

    private sealed record QueuedJob(string ProjectId, string Orchestration, object Input, string InstanceId);
}
