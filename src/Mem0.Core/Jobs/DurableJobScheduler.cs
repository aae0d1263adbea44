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
    IJobStarter starter) : IJobScheduler
{
    private readonly JobSettings _settings = JobSettings.From(options.Value);

    public async Task ScheduleAddAsync(MemoryEvent memoryEvent, AddMemoriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(request);
        var key = ImportStaging.Prefix(memoryEvent.ProjectId, memoryEvent.Id) + "add.json";
        await payloads.WriteAsync(key, JsonSerializer.SerializeToUtf8Bytes(request, JobJson.Options), cancellationToken);
        var input = new AddJobInput(memoryEvent.ProjectId, memoryEvent.Id, key, request.Scope.Key, mode.UseEntityLock, _settings);
        await StartAsync(memoryEvent, JobNames.AddMemoriesJob, input, cancellationToken);
    }

    public Task ScheduleImportAsync(MemoryEvent memoryEvent, StagedImport import, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(import);
        var input = new ImportJobInput(
            memoryEvent.ProjectId, memoryEvent.Id, import.PayloadPrefix, import.ChunkCount, import.ChunkSize, import.Total, import.Infer,
            options.Value.MaxListedFailures, _settings);
        return StartAsync(memoryEvent, JobNames.ImportMemoriesJob, input, cancellationToken);
    }

    public Task ScheduleDeleteAsync(MemoryEvent memoryEvent, DeleteTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(target);
        return StartAsync(memoryEvent, JobNames.DeleteMemoriesJob, new DeleteJobInput(memoryEvent.ProjectId, memoryEvent.Id, target, _settings), cancellationToken);
    }

    private async Task StartAsync(MemoryEvent memoryEvent, string orchestration, object input, CancellationToken cancellationToken)
    {
        using var span = JobTelemetry.StartSchedule(orchestration, memoryEvent.ProjectId, memoryEvent.Id);
        await starter.SubmitAsync(clients.GetClient(), memoryEvent.ProjectId, orchestration, input, memoryEvent.Id, cancellationToken);
    }
}

/// <summary>
/// How the host runs jobs: adds serialized by a Durable entity lock (Functions, many workers) or the engine's in-process
/// lock (local server).
/// </summary>
public sealed record JobSchedulingMode(bool UseEntityLock);

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
}
