using System.Text.Json;

namespace Mem0.Core.Memories;

/// <summary>What happened to a memory.</summary>
public enum HistoryEvent
{
    Add,
    Update,
    Delete,
}

/// <summary>One message of the conversation an add was made from, as recorded in history.</summary>
public sealed record InputMessage(string Role, string Content, string? Name = null);

/// <summary>One change to one memory. History entries are append-only and outlive the memory they describe.</summary>
public sealed record HistoryEntry
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public required string MemoryId { get; init; }

    public required HistoryEvent Event { get; init; }

    public string? OldMemory { get; init; }

    public string? NewMemory { get; init; }

    /// <summary>The messages that caused the change (empty for direct API edits).</summary>
    public IReadOnlyList<InputMessage> Input { get; init; } = [];

    public required MemoryScope Scope { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    public JsonElement? Metadata { get; init; }

    /// <summary>Who made the change: "inference", "api", "import", ...</summary>
    public string? Actor { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
