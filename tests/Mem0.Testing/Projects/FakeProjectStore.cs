using System.Collections.Concurrent;
using Mem0.Core.Common;
using Mem0.Core.Projects;

namespace Mem0.Testing.Projects;

/// <summary>A dictionary-backed <see cref="IProjectStore"/> for tests.</summary>
public sealed class FakeProjectStore : IProjectStore
{
    private readonly ConcurrentDictionary<string, Project> _projects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);

    public FakeProjectStore(params Project[] projects)
    {
        foreach (var project in projects)
        {
            _projects[project.ProjectId] = project;
        }
    }

    public static Project NewProject(string projectId = "proj-1") => new()
    {
        OrgId = "org-1",
        ProjectId = projectId,
        Name = "Test project",
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private int _projectReads;

    /// <summary>How many times a project was read (adds must read it at most once).</summary>
    public int ProjectReads => Volatile.Read(ref _projectReads);

    public void Set(Project project) => _projects[project.ProjectId] = project;

    public Task<Project?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _projectReads);
        return Task.FromResult(_projects.GetValueOrDefault(projectId));
    }

    public Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Project>>(_projects.Values.ToList());

    public Task CreateProjectAsync(Project project, CancellationToken cancellationToken = default) =>
        _projects.TryAdd(project.ProjectId, project)
            ? Task.CompletedTask
            : throw new ConcurrencyConflictException($"Project {project.ProjectId} exists.");

    public Task UpdateProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        if (!_projects.ContainsKey(project.ProjectId))
        {
            throw new MemoryNotFoundException("Project not found.");
        }

        _projects[project.ProjectId] = project;
        return Task.CompletedTask;
    }

    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken = default) =>
        Task.FromResult(_keys.Values.FirstOrDefault(k => k.KeyHash == keyHash && k.RevokedAt is null));

    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        _keys[key.Id] = key;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string projectId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>(_keys.Values.Where(k => k.ProjectId == projectId).ToList());

    public Task<bool> RevokeApiKeyAsync(string projectId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        if (!_keys.TryGetValue(keyId, out var key) || key.ProjectId != projectId)
        {
            return Task.FromResult(false);
        }

        _keys[keyId] = key with { RevokedAt = revokedAt };
        return Task.FromResult(true);
    }
}
