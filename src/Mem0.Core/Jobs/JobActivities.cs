using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Http;
using Mem0.Core.Memories;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Jobs;

/// <summary>
/// The bodies of the job activities, shared by both hosts (Functions wrappers and the local registry call them).
/// Each is idempotent, because a crash or a lost lease runs an activity again: events are replaced whole, an add whose
/// outcomes are recorded is not run again, imported memories have ids derived from their content and scope (or the
/// item's id) and ids already stored are skipped, deletes re-list.
/// What they return goes into orchestration history, so it is ids, counts and reasons — never memory text.
/// </summary>
public sealed partial class JobActivities(
    MemoryService memories,
    IEventStore events,
    EventLifecycle lifecycle,
    IJobPayloadStore payloads,
    ILogger<JobActivities> logger)
{
    /// <summary>Moves a PENDING event to RUNNING; false when the event is gone or already finished (the job then stops).</summary>
    public async Task<bool> StartJobAsync(EventRef input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = JobTelemetry.StartActivity(JobNames.StartJob, input.ProjectId, input.EventId);
        return await lifecycle.StartAsync(input.ProjectId, input.EventId, cancellationToken) is not null;
    }

    /// <summary>Runs the engine's add on the staged request and stores the per-memory results on the event; returns how many memories changed.</summary>
    public async Task<int> RunAddAsync(AddJobInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = JobTelemetry.StartActivity(JobNames.RunAdd, input.ProjectId, input.EventId);
        if ((await RequireEventAsync(input.ProjectId, input.EventId, cancellationToken)).Results is { ValueKind: JsonValueKind.Array } recorded)
        {
            // Run again after a crash that came between recording the outcomes and the orchestration's checkpoint: the
            // add is applied, and running it again would find every fact known and overwrite the outcomes with nothing.
            return recorded.GetArrayLength();
        }

        var content = await payloads.ReadAsync(input.PayloadKey, cancellationToken);
        var request = JsonSerializer.Deserialize<AddMemoriesRequest>(content, JobJson.Options)
            ?? throw new InvalidOperationException("The staged add request is empty.");
        var result = await memories.AddAsync(request, cancellationToken);
        await lifecycle.ReportAsync(input.ProjectId, input.EventId, results: AddResultsJson.ToElement(result.Results, result.Extractor), cancellationToken: cancellationToken);
        return result.Results.Count(r => r.Event != MemoryOperation.None);
    }

    /// <summary>Imports one staged chunk; invalid items and items the engine refused are returned as failures.</summary>
    public async Task<ImportChunkResult> ImportChunkAsync(ImportChunkInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = JobTelemetry.StartActivity(JobNames.ImportChunk, input.ProjectId, input.EventId);
        var staged = await ImportStaging.ReadChunkAsync(payloads, input.ChunkKey, cancellationToken);
        var failures = staged.Where(i => i.Error is not null).Select(i => new ItemFailure(i.Index, i.Id, i.Error!)).ToList();
        var valid = staged.Where(i => i.Error is null).ToList();
        if (input.Infer)
        {
            foreach (var item in valid)
            {
                try
                {
                    await memories.AddAsync(new AddMemoriesRequest
                    {
                        ProjectId = input.ProjectId,
                        Messages = [new InputMessage("user", item.Text!)],
                        Scope = item.Scope,
                        Metadata = item.Metadata,
                        Actor = "import",
                    }, cancellationToken);
                }
                catch (Mem0Exception ex) when (ex is not ThrottledException)
                {
                    failures.Add(new ItemFailure(item.Index, item.Id, ex.Message));
                }
            }
        }
        else if (valid.Count > 0)
        {
            var outcomes = await memories.ImportAsync(
                input.ProjectId,
                [.. valid.Select(i => new ImportMemoryItem(i.Index, i.Id, i.Text!, i.Scope, i.Metadata))],
                cancellationToken);
            failures.AddRange(outcomes.Where(o => o.Error is not null).Select(o => new ItemFailure(o.Index, o.MemoryId, o.Error!)));
        }

        failures.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new ImportChunkResult(staged.Count, failures.Count, failures);
    }

    public async Task<bool> ReportImportProgressAsync(ImportProgressInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = JobTelemetry.StartActivity(JobNames.ReportImportProgress, input.ProjectId, input.EventId);
        await lifecycle.ReportAsync(
            input.ProjectId, input.EventId, new EventProgress(input.Total, input.Processed, input.Failed, input.Failures), cancellationToken: cancellationToken);
        return true;
    }

    /// <summary>How many memories the delete will remove (the progress total).</summary>
    public async Task<int> CountDeleteAsync(DeleteBatchInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = JobTelemetry.StartActivity(JobNames.CountDelete, input.ProjectId);
        return await memories.CountAsync(input.ProjectId, ToFilter(input.Target), cancellationToken);
    }

    /// <summary>Deletes one batch (history DELETE included); 0 when nothing is left.</summary>
    public async Task<int> DeleteBatchAsync(DeleteBatchInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = JobTelemetry.StartActivity(JobNames.DeleteBatch, input.ProjectId);
        return await memories.DeleteBatchAsync(input.ProjectId, ToFilter(input.Target), cancellationToken: cancellationToken);
    }

    public async Task<bool> ReportDeleteProgressAsync(DeleteProgressInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = JobTelemetry.StartActivity(JobNames.ReportDeleteProgress, input.ProjectId, input.EventId);
        await lifecycle.ReportAsync(
            input.ProjectId,
            input.EventId,
            new EventProgress(Math.Max(input.Total, input.Deleted), input.Deleted, 0, []),
            DeletedResults(input.Deleted),
            cancellationToken);
        return true;
    }

    /// <summary>The results of a scope delete: <c>[{"deleted": n}]</c>.</summary>
    public static JsonElement DeletedResults(int deleted) => JsonSerializer.SerializeToElement(new[] { new { deleted } });

    /// <summary>Ends the event SUCCEEDED or FAILED (a finished event is left as it is).</summary>
    public async Task<bool> CompleteEventAsync(CompleteEventInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var span = JobTelemetry.StartActivity(JobNames.CompleteEvent, input.ProjectId, input.EventId);
        span?.SetTag("mem0.job.succeeded", input.Succeeded);
        if (input.Succeeded)
        {
            return await lifecycle.CompleteAsync(input.ProjectId, input.EventId, error: input.Error, cancellationToken: cancellationToken) is not null;
        }

        var failed = await lifecycle.FailAsync(input.ProjectId, input.EventId, input.Error, cancellationToken);
        if (failed is not null)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "job failed");
            LogJobFailed(logger, input.EventId, failed.EventType, input.Error);
        }

        return failed is not null;
    }

    /// <summary>Deletes the job's staged input (user content) once the job has ended.</summary>
    public async Task<bool> DeletePayloadAsync(string prefix, CancellationToken cancellationToken = default)
    {
        await payloads.DeletePrefixAsync(prefix, cancellationToken);
        return true;
    }

    internal static FilterNode ToFilter(DeleteTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.EntityType is not null)
        {
            var type = Enum.Parse<EntityType>(target.EntityType, ignoreCase: true);
            return FilterScopes.Entity(type, target.EntityName ?? throw new ValidationException("entity_name", "The entity name is required."));
        }

        var conditions = new List<FilterNode>();
        AddCondition(conditions, FilterFieldKind.UserId, target.UserId);
        AddCondition(conditions, FilterFieldKind.AgentId, target.AgentId);
        AddCondition(conditions, FilterFieldKind.AppId, target.AppId);
        AddCondition(conditions, FilterFieldKind.RunId, target.RunId);
        return conditions.Count switch
        {
            0 => throw new ValidationException("user_id", "At least one of user_id, agent_id, app_id or run_id is required."),
            1 => conditions[0],
            _ => new AndFilter(conditions),
        };
    }

    private static void AddCondition(List<FilterNode> conditions, FilterFieldKind kind, string? value)
    {
        if (value is not null)
        {
            conditions.Add(HttpFilters.ScopeCondition(kind, value));
        }
    }

    private async Task<MemoryEvent> RequireEventAsync(string projectId, string eventId, CancellationToken cancellationToken) =>
        await events.GetAsync(projectId, eventId, cancellationToken)
            ?? throw new NotFoundException(ResourceKind.Event, $"Event '{eventId}' not found.");

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Job {EventId} ({EventType}) failed: {Reason}")]
    private static partial void LogJobFailed(ILogger logger, string eventId, string eventType, string? reason);
}
