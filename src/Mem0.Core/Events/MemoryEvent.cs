using System.Text.Json;

namespace Mem0.Core.Events;

/// <summary>Lifecycle of a job as clients poll it on <c>GET /v1/event/{id}/</c>.</summary>
public enum EventStatus
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// A unit of asynchronous work (add, bulk import, delete by scope, entity delete) that a client can poll.
/// </summary>
public sealed record MemoryEvent
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>Wire event type, e.g. <c>ADD</c>, <c>DELETE</c>, <c>IMPORT</c>.</summary>
    public required string EventType { get; init; }

    public required EventStatus Status { get; init; }

    /// <summary>The request that created the event (user content: purged with the event's retention).</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Per-memory results, in the wire shape <c>[{id, event, user_id, data: {memory}}]</c>.</summary>
    public JsonElement? Results { get; init; }

    public EventProgress? Progress { get; init; }

    public string? Error { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Milliseconds from creation to completion.</summary>
    public double? LatencyMs => CompletedAt is { } done ? (done - CreatedAt).TotalMilliseconds : null;
}

/// <summary>Progress of a long job, with the items that failed and why.</summary>
public sealed record EventProgress(int Total, int Processed, int Failed, IReadOnlyList<ItemFailure> Failures);

public sealed record ItemFailure(int Index, string? ItemId, string Reason);
