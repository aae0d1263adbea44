namespace Mem0.Core.Projects;

/// <summary>A project of an organisation: the unit of isolation for memories, events, entities and webhooks.</summary>
public sealed record Project
{
    public required string OrgId { get; init; }

    public required string ProjectId { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>Instructions added to every extraction prompt of this project.</summary>
    public string? CustomInstructions { get; init; }

    public string? AgentCustomInstructions { get; init; }

    /// <summary>Categories the extractor assigns; null = the built-in default list.</summary>
    public IReadOnlyList<CustomCategory>? CustomCategories { get; init; }

    /// <summary>Email shown by <c>GET /v1/ping/</c>.</summary>
    public string OwnerEmail { get; init; } = "owner@localhost";

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A category name and what it means, as the wire's <c>{"name": "description"}</c>.</summary>
public sealed record CustomCategory(string Name, string Description);

/// <summary>An API key. Only the SHA-256 hash of the secret is ever stored.</summary>
public sealed record ApiKeyRecord
{
    public required string Id { get; init; }

    public required string OrgId { get; init; }

    public required string ProjectId { get; init; }

    public required string Name { get; init; }

    /// <summary>Lower-case hex SHA-256 of the full key.</summary>
    public required string KeyHash { get; init; }

    /// <summary>The first characters of the key, for people to recognise it (e.g. <c>m0-abc1…</c>).</summary>
    public required string Prefix { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}
