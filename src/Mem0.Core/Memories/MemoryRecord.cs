using System.Text.Json;

namespace Mem0.Core.Memories;

/// <summary>A stored memory: the engine's shape, kept apart from both the wire shape and each store's document shape.</summary>
public sealed record MemoryRecord
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    /// <summary>The memory text (the wire's <c>memory</c>).</summary>
    public required string Text { get; init; }

    /// <summary>MD5 hex of the UTF-8 text, as Mem0 computes it.</summary>
    public required string Hash { get; init; }

    /// <summary>L2-normalised embedding of <see cref="Text"/>.</summary>
    public required float[] Embedding { get; init; }

    /// <summary>Which model produced <see cref="Embedding"/>; vectors of different models are never compared.</summary>
    public required string EmbeddingModel { get; init; }

    public required MemoryScope Scope { get; init; }

    /// <summary>Caller metadata, kept verbatim. Null when the caller gave none.</summary>
    public JsonElement? Metadata { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>
    /// Named entities the memory mentions (lower-cased people, places, things), a search signal. Stores fill it from
    /// the text when a writer did not (<see cref="Search.EntityExtractor"/>).
    /// </summary>
    public IReadOnlyList<string> Entities { get; init; } = [];

    /// <summary>Immutable memories are never updated or deleted by inference.</summary>
    public bool Immutable { get; init; }

    public DateOnly? ExpirationDate { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Opaque concurrency token set by the store (ETag in Cosmos DB, a version counter in SQLite).</summary>
    public string? ETag { get; init; }

    public bool IsExpired(DateOnly today) => ExpirationDate is { } date && date < today;
}
