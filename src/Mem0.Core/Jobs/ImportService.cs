using Mem0.Core.Events;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Jobs;

/// <summary>Bulk import: stages the items (validating each on the way), records a PENDING <c>IMPORT</c> event and schedules the job.</summary>
public sealed class ImportService(IJobPayloadStore payloads, IJobScheduler jobs, EventLifecycle lifecycle, IOptions<JobsOptions> options)
{
    /// <summary>The largest import body accepted, in bytes.</summary>
    public long MaxImportBytes => options.Value.MaxImportBytes;

    /// <summary>
    /// Streams <paramref name="items"/> (a JSON array of memories, or <c>{"items": [...], "infer": ...}</c>) into the payload
    /// store and starts the job; <paramref name="infer"/> overrides the body's flag. Nothing staged is left behind on failure.
    /// </summary>
    public async Task<(MemoryEvent Event, StagedImport Import)> StartAsync(
        string projectId, Stream items, bool? infer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var eventId = EventLifecycle.NewId();
        var prefix = ImportStaging.Prefix(projectId, eventId);
        var staged = await ImportStaging.StageAsync(items, prefix, infer, payloads, options.Value, cancellationToken);
        try
        {
            var pending = await lifecycle.CreatePendingAsync(
                projectId, EventTypes.Import, progress: new EventProgress(staged.Total, 0, 0, []), id: eventId, cancellationToken: cancellationToken);
            await jobs.ScheduleImportAsync(pending, staged, cancellationToken);
            return (pending, staged);
        }
        catch
        {
            await payloads.DeletePrefixAsync(prefix, CancellationToken.None);
            throw;
        }
    }
}
