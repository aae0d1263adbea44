namespace Mem0.Core.Memories;

/// <summary>The four ids that own a memory. At least one is set on every stored memory.</summary>
public sealed record MemoryScope(string? UserId = null, string? AgentId = null, string? AppId = null, string? RunId = null)
{
    public static MemoryScope Empty { get; } = new();

    public bool IsEmpty => UserId is null && AgentId is null && AppId is null && RunId is null;

    /// <summary>A stable key for the scope, used for per-scope serialization and partitioning.</summary>
    public string Key =>
        $"u={Escape(UserId)}&a={Escape(AgentId)}&p={Escape(AppId)}&r={Escape(RunId)}";

    private static string Escape(string? value) =>
        value is null ? "" : Uri.EscapeDataString(value);
}

/// <summary>The kinds of entity that own memories.</summary>
public enum EntityType
{
    User,
    Agent,
    App,
    Run,
}
