using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Testing.Jobs;

/// <summary>
/// Runs jobs before the request returns, through the same activity bodies the orchestrations call, and records the
/// outcome on the event. For tests without a durable backend (both hosts run jobs as Durable orchestrations).
/// </summary>
public sealed partial class InlineJobScheduler(
    MemoryService memories,
    EventLifecycle lifecycle,
    JobActivities activities,
    IOptions<JobsOptions> options,
    ILogger<InlineJobScheduler> logger) : IJobScheduler
{
    public async Task ScheduleAddAsync(MemoryEvent memoryEvent, AddMemoriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(request);
        if (await lifecycle.StartAsync(memoryEvent.ProjectId, memoryEvent.Id, cancellationToken) is null)
        {
            return; // gone or already finished: nothing to run, as in the orchestration
        }

        try
        {
            // The add must not be abandoned half-way because the client disconnected.
            var result = await memories.AddAsync(request, CancellationToken.None);
            await lifecycle.CompleteAsync(
                memoryEvent.ProjectId,
                memoryEvent.Id,
                results: AddResultsJson.ToElement(result.Results, result.Extractor),
                cancellationToken: CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAddFailed(logger, memoryEvent.Id, ex);
            await FailAsync(memoryEvent, ex);
        }
    }

    public async Task ScheduleImportAsync(MemoryEvent memoryEvent, StagedImport import, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(import);
        var ct = CancellationToken.None;
        try
        {
            await activities.StartJobAsync(new EventRef(memoryEvent.ProjectId, memoryEvent.Id), ct);
            int processed = 0, failed = 0;
            var failures = new List<ItemFailure>();
            for (var chunk = 0; chunk < import.ChunkCount; chunk++)
            {
                var result = await activities.ImportChunkAsync(
                    new ImportChunkInput(memoryEvent.ProjectId, memoryEvent.Id, ImportStaging.ChunkKey(import.PayloadPrefix, chunk), import.Infer), ct);
                processed += result.Processed;
                failed += result.Failed;
                failures.AddRange(result.Failures.Take(Math.Max(0, options.Value.MaxListedFailures - failures.Count)));
            }

            await activities.ReportImportProgressAsync(new ImportProgressInput(memoryEvent.ProjectId, memoryEvent.Id, import.Total, processed, failed, failures), ct);
            await activities.CompleteEventAsync(
                new CompleteEventInput(memoryEvent.ProjectId, memoryEvent.Id, failed < import.Total, failed == 0 ? null : $"{failed} of {import.Total} items failed; see progress.failures."),
                ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAddFailed(logger, memoryEvent.Id, ex);
            await FailAsync(memoryEvent, ex);
        }
        finally
        {
            await activities.DeletePayloadAsync(import.PayloadPrefix, ct);
        }
    }

    public async Task ScheduleDeleteAsync(MemoryEvent memoryEvent, DeleteTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(target);
        var ct = CancellationToken.None;
        try
        {
            await activities.StartJobAsync(new EventRef(memoryEvent.ProjectId, memoryEvent.Id), ct);
            var input = new DeleteBatchInput(memoryEvent.ProjectId, target);
            var total = await activities.CountDeleteAsync(input, ct);
            var deleted = 0;
            int count;
            do
            {
                count = await activities.DeleteBatchAsync(input, ct);
                deleted += count;
            }
            while (count > 0);

            await activities.ReportDeleteProgressAsync(new DeleteProgressInput(memoryEvent.ProjectId, memoryEvent.Id, total, deleted), ct);
            await activities.CompleteEventAsync(new CompleteEventInput(memoryEvent.ProjectId, memoryEvent.Id, true, null), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAddFailed(logger, memoryEvent.Id, ex);
            await FailAsync(memoryEvent, ex);
        }
    }

    private Task FailAsync(MemoryEvent memoryEvent, Exception ex) =>
        activities.CompleteEventAsync(
            new CompleteEventInput(
                memoryEvent.ProjectId,
                memoryEvent.Id,
                false,
                ex is Mem0Exception ? ex.Message : "The job failed; see the server log for event " + memoryEvent.Id + "."),
            CancellationToken.None);

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Job for event {EventId} failed")]
    private static partial void LogAddFailed(ILogger logger, string eventId, Exception exception);
}
