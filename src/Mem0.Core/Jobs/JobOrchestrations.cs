using Mem0.Core.Events;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace Mem0.Core.Jobs;

/// <summary>
/// The job orchestrations, written once as functions over <see cref="TaskOrchestrationContext"/>: the Functions host
/// wraps them in <c>[OrchestrationTrigger]</c> functions, the local server registers them by name. Deterministic:
/// all I/O is in activities, inputs are ids and references. Every path ends the event (SUCCEEDED or FAILED) and
/// deletes the staged payload.
/// </summary>
public static class JobOrchestrations
{
    /// <summary>Delete batches per orchestration generation before continuing as new (keeps the history short).</summary>
    internal const int DeleteBatchesPerGeneration = 50;

    /// <summary>How often a running import reports progress on its event (orchestration time; the last report is always made).</summary>
    internal static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public static async Task<string> AddMemoriesJobAsync(TaskOrchestrationContext context, AddJobInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = JobRetry.Options(input.Settings);
        string? error = null;
        try
        {
            if (!await context.CallActivityAsync<bool>(JobNames.StartJob, new EventRef(input.ProjectId, input.EventId), retry))
            {
                return await EndAsync(context, input.ProjectId, input.EventId, PayloadPrefix(input.PayloadKey), true, null, retry);
            }

            if (input.UseEntityLock)
            {
                // Functions: instances on other workers serialize on the scope's entity; the engine's lock is per process.
                await using (await context.Entities.LockEntitiesAsync(ScopeLockId(input.ProjectId, input.ScopeKey)))
                {
                    await context.CallActivityAsync<int>(JobNames.RunAdd, input, retry);
                }
            }
            else
            {
                await context.CallActivityAsync<int>(JobNames.RunAdd, input, retry);
            }
        }
        catch (TaskFailedException ex)
        {
            error = JobRetry.Describe(ex.FailureDetails);
        }

        return await EndAsync(context, input.ProjectId, input.EventId, PayloadPrefix(input.PayloadKey), error is null, error, retry);
    }

    public static async Task<string> ImportMemoriesJobAsync(TaskOrchestrationContext context, ImportJobInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = JobRetry.Options(input.Settings);
        var processed = 0;
        var failed = 0;
        var failures = new List<ItemFailure>();
        try
        {
            if (!await context.CallActivityAsync<bool>(JobNames.StartJob, new EventRef(input.ProjectId, input.EventId), retry))
            {
                return await EndAsync(context, input.ProjectId, input.EventId, input.PayloadPrefix, true, null, retry);
            }

            // A sliding window, not fixed waves: a new chunk starts as soon as one finishes, so the embedding of one
            // chunk overlaps the store write of another instead of every wave waiting for its slowest chunk.
            var window = Math.Max(1, input.Settings.Concurrency);
            var running = new List<Task<ImportChunkResult>>(window);
            var next = 0;
            var lastReport = context.CurrentUtcDateTime;
            while (next < input.ChunkCount || running.Count > 0)
            {
                while (running.Count < window && next < input.ChunkCount)
                {
                    running.Add(ImportChunkOrFailAsync(context, input, next++, retry));
                }

                var done = await Task.WhenAny(running);
                running.Remove(done);
                var result = await done;
                processed += result.Processed;
                failed += result.Failed;
                failures.AddRange(result.Failures.Take(Math.Max(0, input.MaxListedFailures - failures.Count)));
                var last = next >= input.ChunkCount && running.Count == 0;
                if (!last && context.CurrentUtcDateTime - lastReport < ProgressInterval)
                {
                    continue;
                }

                // Progress at most once per interval (and at the end), awaited before the next chunk is scheduled. A
                // report per chunk running beside the next chunk put two activities in flight, which sends the local
                // backend into its 500 ms re-check: with a 0 ms embedder that was two thirds of the import's time.
                lastReport = context.CurrentUtcDateTime;
                failures.Sort((a, b) => a.Index.CompareTo(b.Index));
                await context.CallActivityAsync<bool>(
                    JobNames.ReportImportProgress,
                    new ImportProgressInput(input.ProjectId, input.EventId, input.Total, processed, failed, [.. failures]),
                    retry);
            }
        }
        catch (TaskFailedException ex)
        {
            return await EndAsync(context, input.ProjectId, input.EventId, input.PayloadPrefix, false, JobRetry.Describe(ex.FailureDetails), retry);
        }

        var succeeded = failed < input.Total;
        var error = failed == 0 ? null : $"{failed} of {input.Total} items failed; see progress.failures.";
        return await EndAsync(context, input.ProjectId, input.EventId, input.PayloadPrefix, succeeded, error, retry);
    }

    public static async Task<string> DeleteMemoriesJobAsync(TaskOrchestrationContext context, DeleteJobInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = JobRetry.Options(input.Settings);
        var batchInput = new DeleteBatchInput(input.ProjectId, input.Target);
        var total = input.Total;
        var deleted = input.Deleted;
        try
        {
            if (total < 0)
            {
                if (!await context.CallActivityAsync<bool>(JobNames.StartJob, new EventRef(input.ProjectId, input.EventId), retry))
                {
                    return "SKIPPED";
                }

                total = await context.CallActivityAsync<int>(JobNames.CountDelete, batchInput, retry);
            }

            for (var batch = 0; batch < DeleteBatchesPerGeneration; batch++)
            {
                var count = await context.CallActivityAsync<int>(JobNames.DeleteBatch, batchInput, retry);
                deleted += count;
                await context.CallActivityAsync<bool>(
                    JobNames.ReportDeleteProgress, new DeleteProgressInput(input.ProjectId, input.EventId, total, deleted), retry);
                if (count == 0)
                {
                    return await EndAsync(context, input.ProjectId, input.EventId, null, true, null, retry);
                }
            }
        }
        catch (TaskFailedException ex)
        {
            return await EndAsync(context, input.ProjectId, input.EventId, null, false, JobRetry.Describe(ex.FailureDetails), retry);
        }

        context.ContinueAsNew(input with { Total = total, Deleted = deleted });
        return "CONTINUED";
    }

    /// <summary>The entity whose lock serializes adds of one scope of one project.</summary>
    public static EntityInstanceId ScopeLockId(string projectId, string scopeKey) => new(JobNames.ScopeLock, $"{projectId}|{scopeKey}");

    private static async Task<ImportChunkResult> ImportChunkOrFailAsync(TaskOrchestrationContext context, ImportJobInput input, int chunk, TaskOptions retry)
    {
        try
        {
            return await context.CallActivityAsync<ImportChunkResult>(
                JobNames.ImportChunk,
                new ImportChunkInput(input.ProjectId, input.EventId, ImportStaging.ChunkKey(input.PayloadPrefix, chunk), input.Infer),
                retry);
        }
        catch (TaskFailedException ex)
        {
            // The whole chunk failed after its retries: every item of it is reported, the other chunks go on.
            var first = chunk * input.ChunkSize;
            var count = Math.Min(input.ChunkSize, input.Total - first);
            var reason = JobRetry.Describe(ex.FailureDetails);
            var listed = Enumerable.Range(first, Math.Min(count, input.MaxListedFailures)).Select(i => new ItemFailure(i, null, reason)).ToList();
            return new ImportChunkResult(count, count, listed);
        }
    }

    private static async Task<string> EndAsync(
        TaskOrchestrationContext context, string projectId, string eventId, string? payloadPrefix, bool succeeded, string? error, TaskOptions retry)
    {
        try
        {
            await context.CallActivityAsync<bool>(JobNames.CompleteEvent, new CompleteEventInput(projectId, eventId, succeeded, error), retry);
        }
        finally
        {
            if (payloadPrefix is not null)
            {
                await context.CallActivityAsync<bool>(JobNames.DeletePayload, payloadPrefix, retry);
            }
        }

        return succeeded ? "SUCCEEDED" : "FAILED";
    }

    private static string PayloadPrefix(string payloadKey) =>
        payloadKey.LastIndexOf('/') is var slash and >= 0 ? payloadKey[..(slash + 1)] : payloadKey;
}
