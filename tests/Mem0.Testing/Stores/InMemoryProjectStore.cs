using System.Collections.Concurrent;
using Mem0.Core.Common;
using Mem0.Core.Projects;

namespace Mem0.Testing.Stores;

/// <summary>A thread-safe, zero-dependency project and key store: the test fake (no host uses it: each names a durable store).</summary>
public sealed class InMemoryProjectStore : IProjectStore
{
    private readonly ConcurrentDictionary<string, Project> _projects = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);

    /// <summary>An empty store (the constructor the container uses).</summary>
    public InMemoryProjectStore()
    {
    }

    /// <summary>A store holding <paramref name="projects"/>.</summary>
    public InMemoryProjectStore(params Project[] projects)
    {
        ArgumentNullException.ThrowIfNull(projects);
        foreach (var project in projects)
        {
            _projects[project.ProjectId] = project;
        }
    }

    /// <summary>A project for fixtures (org <c>org-1</c>, created at the epoch).</summary>
    public static Project NewProject(string projectId = "proj-1") => new()
    {
        OrgId = "org-1",
        ProjectId = projectId,
        Name = "Test project",
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>Adds or replaces a project (a fixture's shortcut past the create/update rules).</summary>
    public void Set(Project project)
    {
        ArgumentNullException.ThrowIfNull(project);
        _projects[project.ProjectId] = project;
    }

    private int _projectReads;

    /// <summary>How many times a project was read (an add must read it at most once).</summary>
    public int ProjectReads => Volatile.Read(ref _projectReads);

    public Task<Project?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _projectReads);
        return Task.FromResult(_projects.TryGetValue(projectId, out var project) ? project : null);
    }

    public Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Project>>([.. _projects.Values.OrderBy(p => p.CreatedAt).ThenBy(p => p.ProjectId, StringComparer.Ordinal)]);

    public Task CreateProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        if (!_projects.TryAdd(project.ProjectId, project))
        {
            throw new ConcurrencyConflictException($"Project '{project.ProjectId}' already exists.");
        }

        return Task.CompletedTask;
    }

    public Task UpdateProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        while (true)
        {
            if (!_projects.TryGetValue(project.ProjectId, out var current))
            {
                throw new NotFoundException(ResourceKind.Project, $"Project '{project.ProjectId}' not found.");
            }

            if (_projects.TryUpdate(project.ProjectId, project, current))
            {
                return Task.CompletedTask;
            }
        }
    }

    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        var match = _keys.Values.FirstOrDefault(k => k.RevokedAt is null && ApiKeys.HashesEqual(k.KeyHash, keyHash));
        return Task.FromResult(match);
    }

    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_keys.TryAdd(key.Id, key))
        {
            throw new ConcurrencyConflictException($"API key '{key.Id}' already exists.");
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string projectId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>(
            [.. _keys.Values.Where(k => k.ProjectId == projectId).OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)]);

    public Task<bool> RevokeApiKeyAsync(string projectId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (!_keys.TryGetValue(keyId, out var current) || current.ProjectId != projectId)
            {
                return Task.FromResult(false);
            }

            if (current.RevokedAt is not null || _keys.TryUpdate(keyId, current with { RevokedAt = revokedAt }, current))
            {
                return Task.FromResult(true);
            }
        }
    }
}
