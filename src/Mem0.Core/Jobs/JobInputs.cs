namespace Mem0.Core.Jobs;

/// <summary>Retry and fan-out settings, carried in the orchestration input so the orchestrator stays free of DI and replays the same.</summary>
public sealed record JobSettings(int MaxAttempts = 5, double FirstRetrySeconds = 2, int Concurrency = 2)
{
    public static JobSettings From(JobsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JobSettings(options.MaxAttempts, options.FirstRetryInterval.TotalSeconds, options.ImportConcurrency);
    }
}

/// <summary>Input of the async add orchestration: ids and a payload reference, never the conversation itself.</summary>
/// <param name="ScopeKey">The scope's key; the Functions host serializes adds per scope on an entity named after it.</param>
/// <param name="UseEntityLock">True where a Durable entity critical section serializes the scope (Functions); locally the engine's lock does.</param>
public sealed record AddJobInput(string ProjectId, string EventId, string PayloadKey, string ScopeKey, bool UseEntityLock, JobSettings Settings);

/// <summary>Input of the bulk import orchestration: the staged chunks are <c>{PayloadPrefix}{n:D6}.json</c>.</summary>
public sealed record ImportJobInput(
    string ProjectId, string EventId, string PayloadPrefix, int ChunkCount, int ChunkSize, int Total, bool Infer, int MaxListedFailures, JobSettings Settings);

/// <summary>What to delete: memories matching the scope query (ids or <c>*</c>), or one entity's memories.</summary>
public sealed record DeleteTarget(
    string? UserId = null, string? AgentId = null, string? AppId = null, string? RunId = null, string? EntityType = null, string? EntityName = null);

/// <summary>Input of the bulk delete orchestration; the counters carry over when it continues as new.</summary>
public sealed record DeleteJobInput(string ProjectId, string EventId, DeleteTarget Target, JobSettings Settings, int Total = -1, int Deleted = 0);

/// <summary>One activity call: an event of a project.</summary>
public sealed record EventRef(string ProjectId, string EventId);

/// <summary>Reads one staged import chunk and imports it.</summary>
public sealed record ImportChunkInput(string ProjectId, string EventId, string ChunkKey, bool Infer);

/// <summary>The failures of a chunk; indexes are positions in the request's array.</summary>
public sealed record ImportChunkResult(int Processed, int Failed, IReadOnlyList<Events.ItemFailure> Failures);

public sealed record ImportProgressInput(string ProjectId, string EventId, int Total, int Processed, int Failed, IReadOnlyList<Events.ItemFailure> Failures);

public sealed record DeleteBatchInput(string ProjectId, DeleteTarget Target);

public sealed record DeleteProgressInput(string ProjectId, string EventId, int Total, int Deleted);

/// <summary>Ends an event; <see cref="Error"/> may be set on success too (items that failed in an import).</summary>
public sealed record CompleteEventInput(string ProjectId, string EventId, bool Succeeded, string? Error);
