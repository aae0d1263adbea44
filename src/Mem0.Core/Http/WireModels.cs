using System.Text.Json;
using System.Text.Json.Serialization;
using Mem0.Core.Events;
using Mem0.Core.Memories;

namespace Mem0.Core.Http;

/// <summary>A memory as the platform returns it (contract §4.1). Emits both <c>run_id</c> and <c>session_id</c>.</summary>
public sealed record MemoryDto(
    string Id,
    string Memory,
    string? UserId,
    string? AgentId,
    string? AppId,
    string? RunId,
    string? SessionId,
    JsonElement? Metadata,
    IReadOnlyList<string> Categories,
    bool Immutable,
    string? ExpirationDate,
    string CreatedAt,
    string UpdatedAt,
    string Hash,
    JsonElement? StructuredAttributes,
    string? ReplacedBy,
    bool Synthesized,
    string LifecycleState)
{
    /// <summary>Search only; omitted from listings.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Score { get; init; }

    public static MemoryDto From(MemoryRecord record, double? score = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new MemoryDto(
            record.Id,
            record.Text,
            record.Scope.UserId,
            record.Scope.AgentId,
            record.Scope.AppId,
            record.Scope.RunId,
            record.Scope.RunId,
            record.Metadata,
            record.Categories,
            record.Immutable,
            Mem0Json.FormatDate(record.ExpirationDate),
            Mem0Json.FormatTimestamp(record.CreatedAt),
            Mem0Json.FormatTimestamp(record.UpdatedAt),
            record.Hash,
            null,
            null,
            false,
            "active")
        {
            Score = score is { } s ? Math.Clamp(s, 0, 1) : null,
        };
    }
}

/// <summary>The platform's paginated envelope.</summary>
public sealed record PageDto<T>(int Count, string? Next, string? Previous, IReadOnlyList<T> Results);

public sealed record MessageDto(string Message);

public sealed record HistoryInputDto(string Role, string Content);

/// <summary>One history entry (contract §3.8).</summary>
public sealed record HistoryDto(
    string Id,
    string MemoryId,
    IReadOnlyList<HistoryInputDto> Input,
    string? OldMemory,
    string? NewMemory,
    string? UserId,
    string? AgentId,
    string? AppId,
    string? RunId,
    string? SessionId,
    IReadOnlyList<string> Categories,
    string Event,
    JsonElement? Metadata,
    string? Actor,
    string CreatedAt,
    string UpdatedAt)
{
    public static HistoryDto From(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new HistoryDto(
            entry.Id,
            entry.MemoryId,
            [.. entry.Input.Select(m => new HistoryInputDto(m.Role, m.Content))],
            entry.OldMemory,
            entry.NewMemory,
            entry.Scope.UserId,
            entry.Scope.AgentId,
            entry.Scope.AppId,
            entry.Scope.RunId,
            entry.Scope.RunId,
            entry.Categories,
            entry.Event.ToString().ToUpperInvariant(),
            entry.Metadata,
            entry.Actor,
            Mem0Json.FormatTimestamp(entry.CreatedAt),
            Mem0Json.FormatTimestamp(entry.UpdatedAt));
    }
}

/// <summary>An entity in <c>GET /v1/entities/</c> (contract §3.9). The id is the name: our entities have no numeric ids.</summary>
public sealed record EntityDto(
    string Id,
    string Name,
    string Type,
    int TotalMemories,
    string? Owner,
    JsonElement? Metadata,
    string CreatedAt,
    string UpdatedAt)
{
    public static EntityDto From(EntitySummary summary, string? owner)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new EntityDto(
            summary.Id,
            summary.Name,
            summary.Type.ToString().ToLowerInvariant(),
            summary.TotalMemories,
            owner,
            null,
            Mem0Json.FormatTimestamp(summary.CreatedAt),
            Mem0Json.FormatTimestamp(summary.UpdatedAt));
    }
}

public sealed record EntityPageDto(
    int Count,
    string? Next,
    string? Previous,
    IReadOnlyList<EntityDto> Results,
    int TotalUsers,
    int TotalAgents,
    int TotalApps,
    int TotalRuns);

public sealed record EventProgressDto(int Total, int Processed, int Failed, IReadOnlyList<ItemFailureDto> Failures);

public sealed record ItemFailureDto(int Index, string? ItemId, string Reason);

/// <summary>An event (job) as clients poll it (contract §3.11).</summary>
public sealed record EventDto(
    string Id,
    string EventType,
    string Status,
    JsonElement? Payload,
    JsonElement? Metadata,
    JsonElement Results,
    EventProgressDto? Progress,
    string? Error,
    string CreatedAt,
    string UpdatedAt,
    string? StartedAt,
    string? CompletedAt,
    double? Latency,
    string? GraphStatus)
{
    private static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    public static string StatusName(EventStatus status) => status.ToString().ToUpperInvariant();

    public static EventDto From(MemoryEvent memoryEvent)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        return new EventDto(
            memoryEvent.Id,
            memoryEvent.EventType,
            StatusName(memoryEvent.Status),
            memoryEvent.Payload,
            null,
            memoryEvent.Results ?? EmptyArray,
            memoryEvent.Progress is { } p
                ? new EventProgressDto(p.Total, p.Processed, p.Failed, [.. p.Failures.Select(f => new ItemFailureDto(f.Index, f.ItemId, f.Reason))])
                : null,
            memoryEvent.Error,
            Mem0Json.FormatTimestamp(memoryEvent.CreatedAt),
            Mem0Json.FormatTimestamp(memoryEvent.UpdatedAt),
            Mem0Json.FormatTimestamp(memoryEvent.StartedAt),
            Mem0Json.FormatTimestamp(memoryEvent.CompletedAt),
            memoryEvent.LatencyMs is { } ms ? Math.Round(ms, 1) : null,
            null);
    }
}
