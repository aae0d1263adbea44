using Mem0.Core.Common;

namespace Mem0.Core.Projects;

/// <summary>A new value for one setting; a null <see cref="Change{T}"/> leaves the setting as it is (a null value clears it).</summary>
public readonly record struct Change<T>(T Value);

/// <summary>The project settings a caller may change; unset members are left alone.</summary>
public sealed record ProjectSettingsUpdate
{
    /// <summary>A new name; null or empty keeps the current one.</summary>
    public string? Name { get; init; }

    public Change<string?>? Description { get; init; }

    public Change<string?>? CustomInstructions { get; init; }

    public Change<string?>? AgentCustomInstructions { get; init; }

    public Change<IReadOnlyList<CustomCategory>?>? CustomCategories { get; init; }
}

/// <summary>A project to create; unset ids are generated (the org defaults to the local one).</summary>
public sealed record ProjectDraft(string? Name, string? OrgId = null, string? ProjectId = null, string? Description = null, string? OwnerEmail = null);

/// <summary>
/// Projects and their API keys: the settings adds use by default (custom instructions and categories), and the admin
/// use cases (create and list projects, create, list and revoke keys; a new key is returned once, only its hash is kept).
/// </summary>
public sealed class ProjectService(IProjectStore projects, TimeProvider timeProvider)
{
    /// <summary>The project, or null when there is none.</summary>
    public Task<Project?> FindAsync(string projectId, CancellationToken cancellationToken = default) =>
        projects.GetProjectAsync(projectId, cancellationToken);

    /// <summary>The caller's project; 404 when it is gone.</summary>
    public async Task<Project> GetAsync(string projectId, CancellationToken cancellationToken = default) =>
        await projects.GetProjectAsync(projectId, cancellationToken) ?? throw NotFound();

    /// <summary>Applies <paramref name="update"/> and returns the project as stored.</summary>
    public async Task<Project> UpdateSettingsAsync(string projectId, ProjectSettingsUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var project = await GetAsync(projectId, cancellationToken);
        var updated = project with
        {
            Name = string.IsNullOrEmpty(update.Name) ? project.Name : update.Name,
            Description = update.Description is { } description ? description.Value : project.Description,
            CustomInstructions = update.CustomInstructions is { } instructions ? instructions.Value : project.CustomInstructions,
            AgentCustomInstructions = update.AgentCustomInstructions is { } agent ? agent.Value : project.AgentCustomInstructions,
            CustomCategories = update.CustomCategories is { } categories ? categories.Value : project.CustomCategories,
            UpdatedAt = timeProvider.GetUtcNow(),
        };
        await projects.UpdateProjectAsync(updated, cancellationToken);
        return updated;
    }

    /// <summary>The answer for a project the caller cannot see (never "forbidden": a key only ever sees its own project).</summary>
    public static NotFoundException NotFound() => new(ResourceKind.Project, "Organization or project not found");

    /// <summary>Creates a project; <c>name</c> is required.</summary>
    public async Task<Project> CreateAsync(ProjectDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var now = timeProvider.GetUtcNow();
        var project = new Project
        {
            OrgId = string.IsNullOrEmpty(draft.OrgId) ? ProjectBootstrapper.DefaultOrgId : draft.OrgId,
            ProjectId = string.IsNullOrEmpty(draft.ProjectId) ? "proj_" + Guid.NewGuid().ToString("N")[..16] : draft.ProjectId,
            Name = string.IsNullOrEmpty(draft.Name) ? throw new ValidationException("name", "'name' is required.") : draft.Name,
            Description = draft.Description,
            OwnerEmail = string.IsNullOrEmpty(draft.OwnerEmail) ? "owner@localhost" : draft.OwnerEmail,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await projects.CreateProjectAsync(project, cancellationToken);
        return project;
    }

    public Task<IReadOnlyList<Project>> ListAsync(CancellationToken cancellationToken = default) => projects.ListProjectsAsync(cancellationToken);

    /// <summary>A new key for the project: the record (kept, hashed) and the secret (returned this once).</summary>
    public async Task<(ApiKeyRecord Record, string Key)> CreateApiKeyAsync(string projectId, string? name, CancellationToken cancellationToken = default)
    {
        var project = await RequireAsync(projectId, cancellationToken);
        var key = ApiKeys.Generate();
        var record = ApiKeys.CreateRecord(project, key, name ?? "api key", timeProvider.GetUtcNow());
        await projects.CreateApiKeyAsync(record, cancellationToken);
        return (record, key);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string projectId, CancellationToken cancellationToken = default) =>
        await projects.ListApiKeysAsync((await RequireAsync(projectId, cancellationToken)).ProjectId, cancellationToken);

    /// <summary>Revokes a key of the project; 404 when the project or the key is unknown.</summary>
    public async Task RevokeApiKeyAsync(string projectId, string keyId, CancellationToken cancellationToken = default)
    {
        var project = await RequireAsync(projectId, cancellationToken);
        if (!await projects.RevokeApiKeyAsync(project.ProjectId, keyId, timeProvider.GetUtcNow(), cancellationToken))
        {
            throw new NotFoundException(ResourceKind.ApiKey, "API key not found.");
        }
    }

    /// <summary>The project by id for the admin API (which may name any project).</summary>
    private async Task<Project> RequireAsync(string projectId, CancellationToken cancellationToken) =>
        await projects.GetProjectAsync(projectId, cancellationToken) ?? throw new NotFoundException(ResourceKind.Project, "Project not found.");
}
