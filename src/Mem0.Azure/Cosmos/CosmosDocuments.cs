using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mem0.Core.Events;
using Mem0.Core.Memories;
using Mem0.Core.Search;
using Mem0.Core.Projects;

namespace Mem0.Azure.Cosmos;

/// <summary>Serializer settings shared by the Cosmos client and the tests: camelCase documents, nulls omitted.</summary>
public static class CosmosJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },

        // Documents wrap caller JSON (metadata, event payloads) a few levels down, and older builds accepted bodies 64
        // levels deep: reading back must allow more, or one stored document breaks every later read of it.
        MaxDepth = 256,
    };

    /// <summary>
    /// Times are stored as fixed-width UTC ISO-8601 strings so that string order is time order in queries.
    /// </summary>
    public static string FormatTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string FormatDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A memory as stored in the <c>memories</c> container (partitioned by projectId, ownerKey).</summary>
internal class MemoryDocument
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>Second partition key level: one user's (or agent's, app's, run's) memories share a logical partition.</summary>
    public required string OwnerKey { get; init; }

    public required string Memory { get; init; }

    public required string Hash { get; init; }

    public required float[] Embedding { get; init; }

    public required string EmbeddingModel { get; init; }

    public string? UserId { get; init; }

    public string? AgentId { get; init; }

    public string? AppId { get; init; }

    public string? RunId { get; init; }

    public JsonElement? Metadata { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    public bool Immutable { get; init; }

    public string? ExpirationDate { get; init; }

    public required string CreatedAt { get; init; }

    public required string UpdatedAt { get; init; }

    /// <summary>Named entities the memory mentions (lower-cased), returned with the memory.</summary>
    public IReadOnlyList<string> Entities { get; init; } = [];

    /// <summary>The entities as one text, the path the entity leg's full-text index covers (FullTextScore takes a string).</summary>
    public string EntityText { get; init; } = "";

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    /// <summary>The partition key of a scope: the user when there is one, else the agent, app or run, prefixed by kind.</summary>
    public static string OwnerKeyOf(MemoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.UserId
            ?? (scope.AgentId is { } agent ? "agent:" + agent
            : scope.AppId is { } app ? "app:" + app
            : scope.RunId is { } run ? "run:" + run
            : throw new ArgumentException("A memory needs at least one of user_id, agent_id, app_id, run_id.", nameof(scope)));
    }

    public static MemoryDocument FromRecord(MemoryRecord record) => new()
    {
        Id = record.Id,
        ProjectId = record.ProjectId,
        OwnerKey = OwnerKeyOf(record.Scope),
        Memory = record.Text,
        Hash = record.Hash,
        Embedding = record.Embedding,
        EmbeddingModel = record.EmbeddingModel,
        UserId = record.Scope.UserId,
        AgentId = record.Scope.AgentId,
        AppId = record.Scope.AppId,
        RunId = record.Scope.RunId,
        Metadata = record.Metadata,
        Categories = record.Categories,
        Immutable = record.Immutable,
        ExpirationDate = record.ExpirationDate is { } date ? CosmosJson.FormatDate(date) : null,
        CreatedAt = CosmosJson.FormatTime(record.CreatedAt),
        UpdatedAt = CosmosJson.FormatTime(record.UpdatedAt),
        Entities = EntitiesOf(record),
        EntityText = string.Join(' ', EntitiesOf(record)),
    };

    /// <summary>The writer's entities (an LLM may name them), else those extracted from the text.</summary>
    private static IReadOnlyList<string> EntitiesOf(MemoryRecord record) =>
        record.Entities.Count > 0 ? record.Entities : EntityExtractor.FromStoredText(record.Text);

    public MemoryRecord ToRecord() => new()
    {
        Id = Id,
        ProjectId = ProjectId,
        Text = Memory,
        Hash = Hash,
        Embedding = Embedding ?? [],
        EmbeddingModel = EmbeddingModel,
        Scope = new MemoryScope(UserId, AgentId, AppId, RunId),
        Metadata = Metadata is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } ? Metadata : null,
        Categories = Categories ?? [],
        Immutable = Immutable,
        ExpirationDate = ExpirationDate is { } date ? CosmosJson.ParseDate(date) : null,
        CreatedAt = CosmosJson.ParseTime(CreatedAt),
        UpdatedAt = CosmosJson.ParseTime(UpdatedAt),
        Entities = Entities ?? [],
        ETag = ETag,
    };
}

/// <summary>A search hit: the memory plus the projected <c>VectorDistance</c> (a cosine similarity).</summary>
internal sealed class ScoredMemoryDocument : MemoryDocument
{
    public double Score { get; init; }
}

/// <summary>A history entry in the <c>history</c> container (partitioned by projectId, memoryId).</summary>
internal sealed class HistoryDocument
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public required string MemoryId { get; init; }

    public required HistoryEvent Event { get; init; }

    public string? OldMemory { get; init; }

    public string? NewMemory { get; init; }

    public IReadOnlyList<InputMessage> Input { get; init; } = [];

    public string? UserId { get; init; }

    public string? AgentId { get; init; }

    public string? AppId { get; init; }

    public string? RunId { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    public JsonElement? Metadata { get; init; }

    public string? Actor { get; init; }

    public required string CreatedAt { get; init; }

    public required string UpdatedAt { get; init; }

    /// <summary>
    /// The outbox flag: written false with the entry, set true by a patch once its webhook notifications are enqueued.
    /// Entries written before the flag existed lack it and are never picked up (no flood of old notifications).
    /// </summary>
    public bool Dispatched { get; init; }

    public static HistoryDocument FromEntry(HistoryEntry entry) => new()
    {
        Id = entry.Id,
        ProjectId = entry.ProjectId,
        MemoryId = entry.MemoryId,
        Event = entry.Event,
        OldMemory = entry.OldMemory,
        NewMemory = entry.NewMemory,
        Input = entry.Input,
        UserId = entry.Scope.UserId,
        AgentId = entry.Scope.AgentId,
        AppId = entry.Scope.AppId,
        RunId = entry.Scope.RunId,
        Categories = entry.Categories,
        Metadata = entry.Metadata,
        Actor = entry.Actor,
        CreatedAt = CosmosJson.FormatTime(entry.CreatedAt),
        UpdatedAt = CosmosJson.FormatTime(entry.UpdatedAt),
    };

    public HistoryEntry ToEntry() => new()
    {
        Id = Id,
        ProjectId = ProjectId,
        MemoryId = MemoryId,
        Event = Event,
        OldMemory = OldMemory,
        NewMemory = NewMemory,
        Input = Input ?? [],
        Scope = new MemoryScope(UserId, AgentId, AppId, RunId),
        Categories = Categories ?? [],
        Metadata = Metadata is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } ? Metadata : null,
        Actor = Actor,
        CreatedAt = CosmosJson.ParseTime(CreatedAt),
        UpdatedAt = CosmosJson.ParseTime(UpdatedAt),
    };
}

/// <summary>An event (job) in the <c>events</c> container (partitioned by projectId, expired by the container TTL).</summary>
internal sealed class EventDocument
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public required string EventType { get; init; }

    public required EventStatus Status { get; init; }

    public JsonElement? Payload { get; init; }

    public JsonElement? Results { get; init; }

    public EventProgress? Progress { get; init; }

    public string? Error { get; init; }

    public required string CreatedAt { get; init; }

    public required string UpdatedAt { get; init; }

    public string? StartedAt { get; init; }

    public string? CompletedAt { get; init; }

    public static EventDocument FromEvent(MemoryEvent e) => new()
    {
        Id = e.Id,
        ProjectId = e.ProjectId,
        EventType = e.EventType,
        Status = e.Status,
        Payload = e.Payload,
        Results = e.Results,
        Progress = e.Progress,
        Error = e.Error,
        CreatedAt = CosmosJson.FormatTime(e.CreatedAt),
        UpdatedAt = CosmosJson.FormatTime(e.UpdatedAt),
        StartedAt = e.StartedAt is { } s ? CosmosJson.FormatTime(s) : null,
        CompletedAt = e.CompletedAt is { } c ? CosmosJson.FormatTime(c) : null,
    };

    public MemoryEvent ToEvent() => new()
    {
        Id = Id,
        ProjectId = ProjectId,
        EventType = EventType,
        Status = Status,
        Payload = Payload,
        Results = Results,
        Progress = Progress,
        Error = Error,
        CreatedAt = CosmosJson.ParseTime(CreatedAt),
        UpdatedAt = CosmosJson.ParseTime(UpdatedAt),
        StartedAt = StartedAt is { } s ? CosmosJson.ParseTime(s) : null,
        CompletedAt = CompletedAt is { } c ? CosmosJson.ParseTime(c) : null,
    };
}

/// <summary>A project in the <c>projects</c> container (id = projectId).</summary>
internal sealed class ProjectDocument
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public required string OrgId { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public string? CustomInstructions { get; init; }

    public string? AgentCustomInstructions { get; init; }

    public IReadOnlyList<CustomCategory>? CustomCategories { get; init; }

    public string OwnerEmail { get; init; } = "owner@localhost";

    public required string CreatedAt { get; init; }

    public required string UpdatedAt { get; init; }

    public static ProjectDocument FromProject(Project p) => new()
    {
        Id = p.ProjectId,
        ProjectId = p.ProjectId,
        OrgId = p.OrgId,
        Name = p.Name,
        Description = p.Description,
        CustomInstructions = p.CustomInstructions,
        AgentCustomInstructions = p.AgentCustomInstructions,
        CustomCategories = p.CustomCategories,
        OwnerEmail = p.OwnerEmail,
        CreatedAt = CosmosJson.FormatTime(p.CreatedAt),
        UpdatedAt = CosmosJson.FormatTime(p.UpdatedAt),
    };

    public Project ToProject() => new()
    {
        ProjectId = ProjectId,
        OrgId = OrgId,
        Name = Name,
        Description = Description,
        CustomInstructions = CustomInstructions,
        AgentCustomInstructions = AgentCustomInstructions,
        CustomCategories = CustomCategories,
        OwnerEmail = OwnerEmail,
        CreatedAt = CosmosJson.ParseTime(CreatedAt),
        UpdatedAt = CosmosJson.ParseTime(UpdatedAt),
    };
}

/// <summary>
/// An API key in the <c>apikeys</c> container. The document id and partition key are the key hash, so
/// authenticating a request is one point read.
/// </summary>
internal sealed class ApiKeyDocument
{
    public required string Id { get; init; }

    public required string KeyHash { get; init; }

    public required string KeyId { get; init; }

    public required string OrgId { get; init; }

    public required string ProjectId { get; init; }

    public required string Name { get; init; }

    public required string Prefix { get; init; }

    public required string CreatedAt { get; init; }

    public string? RevokedAt { get; init; }

    [JsonPropertyName("_etag")]
    public string? ETag { get; init; }

    public static ApiKeyDocument FromRecord(ApiKeyRecord k) => new()
    {
        Id = k.KeyHash,
        KeyHash = k.KeyHash,
        KeyId = k.Id,
        OrgId = k.OrgId,
        ProjectId = k.ProjectId,
        Name = k.Name,
        Prefix = k.Prefix,
        CreatedAt = CosmosJson.FormatTime(k.CreatedAt),
        RevokedAt = k.RevokedAt is { } r ? CosmosJson.FormatTime(r) : null,
    };

    public ApiKeyRecord ToRecord() => new()
    {
        Id = KeyId,
        KeyHash = KeyHash,
        OrgId = OrgId,
        ProjectId = ProjectId,
        Name = Name,
        Prefix = Prefix,
        CreatedAt = CosmosJson.ParseTime(CreatedAt),
        RevokedAt = RevokedAt is { } r ? CosmosJson.ParseTime(r) : null,
    };
}
