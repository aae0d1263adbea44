using System.Text.Json;
using Mem0.Core.Events;
using Mem0.Core.Memories;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Jobs;

/// <summary>Where the scheduler gets its <see cref="DurableTaskClient"/>: DI locally, the invocation's binding in Functions.</summary>
public interface IDurableClientSource
{
    DurableTaskClient GetClient();
}

/// <summary>
/// Schedules jobs as Durable orchestrations (instance id = event id). The add conversation is staged in the
/// <see cref="IJobPayloadStore"/> first, so the orchestration input stays ids and references.
/// </summary>
public sealed class DurableJobScheduler(
    IDurableClientSource clients,
    IJobPayloadStore payloads,
    IOptions<JobsOptions> options,
    JobSchedulingMode mode,
    JobInstanceTracker tracker) : IJobScheduler
{
    private readonly JobSettings _settings = JobSettings.From(options.Value);

    public async Task ScheduleAddAsync(MemoryEvent memoryEvent, AddMemoriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(request);
        var key = ImportStaging.Prefix(memoryEvent.ProjectId, memoryEvent.Id) + "add.json";
        await payloads.WriteAsync(key, JsonSerializer.SerializeToUtf8Bytes(request, JobJson.Options), cancellationToken);
        var input = new AddJobInput(memoryEvent.ProjectId, memoryEvent.Id, key, request.Scope.Key, mode.UseEntityLock, _settings);
        await StartAsync(JobNames.AddMemoriesJob, input, memoryEvent.Id, cancellationToken);
    }

    public Task ScheduleImportAsync(MemoryEvent memoryEvent, StagedImport import, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(import);
        var input = new ImportJobInput(
            memoryEvent.ProjectId, memoryEvent.Id, import.PayloadPrefix, import.ChunkCount, import.ChunkSize, import.Total, import.Infer,
            options.Value.MaxListedFailures, _settings);
        return StartAsync(JobNames.ImportMemoriesJob, input, memoryEvent.Id, cancellationToken);
    }

    public Task ScheduleDeleteAsync(MemoryEvent memoryEvent, DeleteTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(target);
        return StartAsync(JobNames.DeleteMemoriesJob, new DeleteJobInput(memoryEvent.ProjectId, memoryEvent.Id, target, _settings), memoryEvent.Id, cancellationToken);
    }

    private async Task StartAsync(string orchestration, object input, string instanceId, CancellationToken cancellationToken)
    {
        await clients.GetClient().ScheduleNewOrchestrationInstanceAsync(
            orchestration, input, new StartOrchestrationOptions { InstanceId = instanceId }, cancellationToken);
        if (mode.TrackInstancesForPurge)
        {
            tracker.Add(instanceId);
        }
    }
}

/// <summary>
/// How the host runs jobs: adds serialized by a Durable entity lock (Functions, many workers) or the engine's in-process
/// lock; and whether started instances are tracked so a purger can remove each one's history once it ends (a backend
/// without filter-based purge, like the in-memory one; elsewhere <see cref="JobSweeper"/> purges by status).
/// </summary>
public sealed record JobSchedulingMode(bool UseEntityLock, bool TrackInstancesForPurge = false);

/// <summary>Instances started by this process whose history is still to be purged.</summary>
public sealed class JobInstanceTracker
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _instances = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Pending => [.. _instances.Keys];

    public void Add(string instanceId) => _instances.TryAdd(instanceId, 0);

    public void Remove(string instanceId) => _instances.TryRemove(instanceId, out _);
}

/// <summary>Purges the history of finished job instances, so nothing of a job outlives it in the task hub.</summary>
public static class JobHistory
{
    public static async Task<int> PurgeFinishedAsync(DurableTaskClient client, DateTimeOffset finishedBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var result = await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(
                CreatedFrom: null,
                CreatedTo: finishedBefore,
                Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]),
            cancellationToken);
        return result.PurgedInstanceCount;
    }

    /// <summary>Purges each tracked instance that has ended; returns how many were purged.</summary>
    public static async Task<int> PurgeTrackedAsync(DurableTaskClient client, JobInstanceTracker tracker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(tracker);
        var purged = 0;
        foreach (var instanceId in tracker.Pending)
        {
            var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
            if (instance is null)
            {
                tracker.Remove(instanceId);
            }
            else if (instance.IsCompleted)
            {
                await client.PurgeInstanceAsync(instanceId, cancellationToken);
                tracker.Remove(instanceId);
                purged++;
            }
        }

        return purged;
    }
}
