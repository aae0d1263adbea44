using System.Text.Json;
using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Projects;

namespace Mem0.Core.Memories;

/// <summary>How <see cref="MemoryOperations.AddAsync"/> records and runs an add.</summary>
public sealed record AddMemoriesOptions
{
    /// <summary>When inferring: true (default) queues the add as a job and answers PENDING; false runs it before answering.</summary>
    public bool Background { get; init; } = true;

    /// <summary>The request as received, kept on the event for the client to see; null keeps none.</summary>
    public JsonElement? Payload { get; init; }
}

/// <summary>
/// What an add did: the event recorded for it (PENDING when queued, SUCCEEDED when done now) and, when done now, the
/// outcome per memory (<see cref="MemoryOperation.None"/> entries included; front doors usually drop them).
/// </summary>
public sealed record AddMemoriesOutcome(MemoryEvent Event, IReadOnlyList<MemoryOperationResult> Results)
{
    public bool Queued => Event.Status == EventStatus.Pending;
}

/// <summary>
/// A search. Filters come parsed (<see cref="Filter"/>) or as platform-grammar JSON (<see cref="Filters"/>); either way
/// they must positively scope at least one of user_id, agent_id, app_id or run_id. Unset numbers take the defaults.
/// </summary>
public sealed record SearchMemoriesInput
{
    public string? Query { get; init; }

    public FilterNode? Filter { get; init; }

    public JsonElement? Filters { get; init; }

    /// <summary>1 to 1000; default 10.</summary>
    public int? TopK { get; init; }

    /// <summary>Minimum semantic score in [0,1]; default 0.1.</summary>
    public double? Threshold { get; init; }

    public bool KeywordSearch { get; init; }

    public bool ShowExpired { get; init; }
}

/// <summary>One page of a memory list. <see cref="Cursor"/> (from a previous page's <see cref="MemoryListPage.NextCursor"/>) jumps straight to <see cref="Page"/>.</summary>
public sealed record ListMemoriesInput
{
    public FilterNode? Filter { get; init; }

    public JsonElement? Filters { get; init; }

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 100;

    public string? Cursor { get; init; }

    public bool ShowExpired { get; init; }
}

/// <summary>A page of memories: the items, how many match in all, and the cursor of the next page when there is one.</summary>
public sealed record MemoryListPage(IReadOnlyList<MemoryRecord> Items, int TotalCount, int Page, int PageSize, string? NextCursor)
{
    public bool HasNext => NextCursor is not null;
}

/// <summary>A page of entities plus the per-kind totals of the listed kind(s) and the project owner (entities are owned by them).</summary>
public sealed record EntityPage(
    IReadOnlyList<EntitySummary> Items, int TotalCount, bool HasNext, int Users, int Agents, int Apps, int Runs, string? OwnerEmail);

/// <summary>Feedback on one memory: POSITIVE, NEGATIVE, VERY_NEGATIVE or null (case-insensitive).</summary>
public sealed record FeedbackInput(string? MemoryId, string? Feedback, string? FeedbackReason, JsonElement? Payload = null);

/// <summary>Recorded feedback; <see cref="Id"/> is the FEEDBACK event's id.</summary>
public sealed record FeedbackRecord(string Id, string MemoryId, string? Feedback, string? FeedbackReason);
