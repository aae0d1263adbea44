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

/// <summary>Project settings: the custom instructions and categories that adds use by default.</summary>
public sealed class ProjectService(IProjectStore projects, TimeProvider timeProvider)
{
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
}
