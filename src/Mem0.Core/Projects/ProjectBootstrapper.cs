namespace Mem0.Core.Projects;

/// <summary>What the first start produced: the default project and, when one was generated, the key to show once.</summary>
public sealed record BootstrapResult(Project Project, string? GeneratedApiKey, bool ProjectCreated, bool ConfiguredKeyAdded);

/// <summary>
/// Creates the default organisation and project on first start, and makes sure a usable API key exists:
/// the configured one (registered by hash) or a generated one returned exactly once.
/// </summary>
public sealed class ProjectBootstrapper(IProjectStore projects, TimeProvider timeProvider)
{
    public const string DefaultOrgId = "org_default";
    public const string DefaultProjectId = "proj_default";

    public async Task<BootstrapResult> EnsureDefaultProjectAsync(string? configuredApiKey, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var project = await projects.GetProjectAsync(DefaultProjectId, cancellationToken);
        var created = false;
        if (project is null)
        {
            project = new Project
            {
                OrgId = DefaultOrgId,
                ProjectId = DefaultProjectId,
                Name = "Default Project",
                Description = "Created at first start.",
                CreatedAt = now,
                UpdatedAt = now,
            };
            await projects.CreateProjectAsync(project, cancellationToken);
            created = true;
        }

        if (!string.IsNullOrWhiteSpace(configuredApiKey))
        {
            var key = configuredApiKey.Trim();
            var existing = await projects.FindApiKeyByHashAsync(ApiKeys.Hash(key), cancellationToken);
            if (existing is not null)
            {
                return new BootstrapResult(project, null, created, false);
            }

            await projects.CreateApiKeyAsync(ApiKeys.CreateRecord(project, key, "configured (MEM0_API_KEY)", now), cancellationToken);
            return new BootstrapResult(project, null, created, true);
        }

        var keys = await projects.ListApiKeysAsync(project.ProjectId, cancellationToken);
        if (keys.Any(k => k.RevokedAt is null))
        {
            return new BootstrapResult(project, null, created, false);
        }

        var generated = ApiKeys.Generate();
        await projects.CreateApiKeyAsync(ApiKeys.CreateRecord(project, generated, "generated at first start", now), cancellationToken);
        return new BootstrapResult(project, generated, created, false);
    }
}
