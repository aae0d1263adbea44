using Mem0.Core.Memories;
using Mem0.Core.Projects;

namespace Mem0.Core.Extraction;

/// <summary>Everything an extractor needs for one add. <see cref="ExistingMemories"/>[i] is shown to the model as id "i".</summary>
public sealed record ExtractionContext
{
    public required DateOnly Today { get; init; }

    public required IReadOnlyList<InputMessage> Messages { get; init; }

    public IReadOnlyList<string> ExistingMemories { get; init; } = [];

    public IReadOnlyList<CustomCategory> Categories { get; init; } = DefaultCategories.All;

    /// <summary>True when only an agent id is set: memories are written from the agent's point of view.</summary>
    public bool AgentPerspective { get; init; }

    public string? CustomInstructions { get; init; }

    public string? Includes { get; init; }

    public string? Excludes { get; init; }
}
