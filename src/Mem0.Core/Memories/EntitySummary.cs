namespace Mem0.Core.Memories;

/// <summary>A user, agent, app or run that owns at least one memory in a project.</summary>
public sealed record EntitySummary(
    EntityType Type,
    string Name,
    int TotalMemories,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
