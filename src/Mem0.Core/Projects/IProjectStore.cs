namespace Mem0.Core.Projects;

/// <summary>Projects and their API keys.</summary>
public interface IProjectStore
{
    Task<Project?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the project, or throws <see cref="Common.ConcurrencyConflictException"/> if the id exists.</summary>
    Task CreateProjectAsync(Project project, CancellationToken cancellationToken = default);

    /// <summary>Replaces the project's settings; throws <see cref="Common.NotFoundException"/> if it does not exist.</summary>
    Task UpdateProjectAsync(Project project, CancellationToken cancellationToken = default);

    /// <summary>The active (not revoked) key with this hash, or null.</summary>
    Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken = default);

    Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked; returns false when the project has no such key.</summary>
    Task<bool> RevokeApiKeyAsync(string projectId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default);
}
