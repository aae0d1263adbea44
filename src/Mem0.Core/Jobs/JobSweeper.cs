using Mem0.Core.Events;
using Mem0.Core.Projects;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Jobs;

/// <summary>What one sweep did: events it ended FAILED, finished instances whose history it purged, idle scope locks removed.</summary>
public sealed record JobSweepResult(int EventsFailed, int InstancesPurged, int EntitiesRemoved = 0);

/// <summary>
/// The safety net under the orchestrations. Every orchestration ends its event itself, but the activity that does so
/// can exhaust its retries (store down), and a worker can die between recording an event and scheduling its
/// orchestration. So, periodically: an event still PENDING or RUNNING that has not moved for <c>StaleAfter</c> and
/// whose orchestration is gone or ended is marked FAILED; then the history of every finished instance is purged
/// (it holds user content). An orchestration that is still alive is never touched, however long it runs.
/// </summary>
public sealed partial class JobSweeper(
    IProjectStore projects,
    IEventStore events,
    IJobStarter starter,
    IOptions<JobsOptions> options,
    TimeProvider timeProvider,
    ILogger<JobSweeper> logger)
{
    private const int PageSize = 200;

    public Task<JobSweepResult> SweepAsync(DurableTaskClient client, bool purgeFinished, CancellationToken cancellationToken = default) =>
        SweepAsync(client, purgeFinished, cleanEntities: purgeFinished, cancellationToken);

    /// <param name="cleanEntities">Also remove idle scope-lock entities (backends that run entities: Functions; not the local server).</param>
    public async Task<JobSweepResult> SweepAsync(DurableTaskClient client, bool purgeFinished, bool cleanEntities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var staleBefore = timeProvider.GetUtcNow() - options.Value.StaleAfter;
        var failed = 0;
        foreach (var project in await projects.ListProjectsAsync(cancellationToken))
        {
            foreach (var candidate in await StaleAsync(project.ProjectId, staleBefore, cancellationToken))
            {
                if (await EndIfOrphanedAsync(client, candidate, staleBefore, cancellationToken))
                {
                    failed++;
                }
            }
        }

        // After the sweep, so the sweep still saw the instances' final status.
        var purged = 0;
        var entitiesRemoved = 0;
        if (purgeFinished)
        {
            purged = await JobHistory.PurgeFinishedAsync(client, timeProvider.GetUtcNow(), cancellationToken);
        }

        if (purgeFinished && cleanEntities)
        {
            // Scope-lock entities are keyed by project and scope ids (user ids): once idle they hold nothing, so they go too.
            var cleaned = await client.Entities.CleanEntityStorageAsync(
                new CleanEntityStorageRequest { RemoveEmptyEntities = true, ReleaseOrphanedLocks = true },
                continueUntilComplete: true,
                cancellationToken);
            entitiesRemoved = cleaned.EmptyEntitiesRemoved;
        }

        if (failed > 0)
        {
            LogOrphansFailed(logger, failed);
        }

        LogSwept(logger, failed, purged, entitiesRemoved);
        return new JobSweepResult(failed, purged, entitiesRemoved);
    }

    /// <summary>The message an orphaned job's event ends with.</summary>
    public static string OrphanMessage(string? runtimeStatus) => runtimeStatus is null
        ? "The job never started or its record was lost; submit it again."
        : $"The job stopped without recording its result (orchestration {runtimeStatus.ToUpperInvariant()}); submit it again.";

    private async Task<List<MemoryEvent>> StaleAsync(string projectId, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        var stale = new List<MemoryEvent>();
        foreach (var status in new[] { EventStatus.Pending, EventStatus.Running })
        {
            for (var page = 1; ; page++)
            {
                var result = await events.ListAsync(projectId, new EventListQuery(page, PageSize, status), cancellationToken);
                stale.AddRange(result.Items.Where(e => e.UpdatedAt < staleBefore));
                if (page * PageSize >= result.TotalCount || result.Items.Count == 0)
                {
                    break;
                }
            }
        }

        return stale;
    }

    private async Task<bool> EndIfOrphanedAsync(DurableTaskClient client, MemoryEvent candidate, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        if (starter.IsWaiting(candidate.Id))
        {
            // Accepted by a host queue and not scheduled yet: waiting its turn is not being lost.
            return false;
        }

        // The event id is the instance id (DurableJobScheduler).
        var instance = await client.GetInstanceAsync(candidate.Id, getInputsAndOutputs: false, cancellationToken);
        if (instance is { IsCompleted: false })
        {
            return false;
        }

        // Read again: the orchestration may have ended the event while we looked at its instance.
        var current = await events.GetAsync(candidate.ProjectId, candidate.Id, cancellationToken);
        if (current is null || current.Status is EventStatus.Succeeded or EventStatus.Failed || current.UpdatedAt >= staleBefore)
        {
            return false;
        }

        var now = timeProvider.GetUtcNow();
        await events.UpdateAsync(EventLifecycle.Fail(current, now, OrphanMessage(instance?.RuntimeStatus.ToString())), cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "{Count} job(s) whose orchestration had ended without ending their event were marked FAILED")]
    private static partial void LogOrphansFailed(ILogger logger, int count);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Debug, Message = "Job sweep: {Failed} orphaned event(s) failed, {Purged} finished instance(s) purged, {Entities} idle scope lock(s) removed")]
    private static partial void LogSwept(ILogger logger, int failed, int purged, int entities);
}
