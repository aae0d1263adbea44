using System.Text.Json;
using Mem0.Core.Filters;
using Mem0.Core.Projects;

namespace Mem0.Core.Memories;

/// <summary>What the reconciliation decided for one memory.</summary>
public enum MemoryOperation
{
    Add,
    Update,
    Delete,
    None,
}

/// <summary>
/// An add: a conversation to remember for a scope. Front doors leave <see cref="ProjectId"/> unset and pass the caller's
/// project to <see cref="MemoryOperations.AddAsync"/>, which sets it; the engine and jobs always get it set.
/// </summary>
public sealed record AddMemoriesRequest
{
    public string ProjectId { get; init; } = string.Empty;

    public required IReadOnlyList<InputMessage> Messages { get; init; }

    public required MemoryScope Scope { get; init; }

    public JsonElement? Metadata { get; init; }

    /// <summary>True (default): extract facts with the language model; false: store each non-system message verbatim (one batched embedding call, no LLM).</summary>
    public bool Infer { get; init; } = true;

    public bool Immutable { get; init; }

    public DateOnly? ExpirationDate { get; init; }

    /// <summary>Backdates created_at of the memories this add creates.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Per-call instructions; the project's are used when null.</summary>
    public string? CustomInstructions { get; init; }

    /// <summary>Per-call categories; replace the project's list (or the defaults) for this call when not empty.</summary>
    public IReadOnlyList<CustomCategory>? CustomCategories { get; init; }

    public string? Includes { get; init; }

    public string? Excludes { get; init; }

    /// <summary>Who is adding: "api", "import", ... recorded in history.</summary>
    public string Actor { get; init; } = "api";
}

/// <summary>The outcome of an add for one memory.</summary>
public sealed record MemoryOperationResult(
    string Id,
    MemoryOperation Event,
    string Memory,
    string? PreviousMemory,
    MemoryScope Scope,
    IReadOnlyList<string> Categories);

/// <summary>The outcome of an add.</summary>
/// <remarks><see cref="Extractor"/> is "llm", "heuristic" (no language model configured) or "verbatim" (infer=false).</remarks>
public sealed record AddMemoriesResult(
    IReadOnlyList<MemoryOperationResult> Results,
    string Extractor,
    int LlmCalls,
    int EmbeddingCalls)
{
    /// <summary>Prompt tokens the language model reported for this add (0 when none or not reported).</summary>
    public long PromptTokens { get; init; }
}

public sealed record SearchMemoriesRequest
{
    public required string ProjectId { get; init; }

    public required string Query { get; init; }

    /// <summary>Parsed filters; must positively scope at least one entity id (checked by the HTTP layer).</summary>
    public required FilterNode Filter { get; init; }

    public int TopK { get; init; } = 10;

    /// <summary>Minimum semantic score in [0,1]; 0 disables.</summary>
    public double Threshold { get; init; } = 0.1;

    public bool KeywordSearch { get; init; }

    public bool ShowExpired { get; init; }
}

public sealed record ListMemoriesRequest
{
    public required string ProjectId { get; init; }

    public required FilterNode Filter { get; init; }

    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }

    public bool ShowExpired { get; init; }
}

/// <summary>A page of memories plus the total that match, for the wire's <c>count</c>.</summary>
public sealed record ListMemoriesResult(IReadOnlyList<MemoryRecord> Items, string? ContinuationToken, int TotalCount);

/// <summary>A direct edit. Unset members are left alone; <see cref="ClearExpirationDate"/> removes the date.</summary>
public sealed record UpdateMemoryRequest
{
    public string? Text { get; init; }

    /// <summary>Merged into the existing metadata (keys replaced, others kept).</summary>
    public JsonElement? Metadata { get; init; }

    public DateOnly? ExpirationDate { get; init; }

    public bool ClearExpirationDate { get; init; }

    /// <summary>Sets updated_at instead of now.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}

public sealed record BatchUpdateItem(string MemoryId, string? Text, JsonElement? Metadata);
