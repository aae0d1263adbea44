using Mem0.Core.Common;
using Mem0.Core.Projects;

namespace Mem0.Testing.Stores;

/// <summary>The behaviour every <see cref="IProjectStore"/> must show. Derive and return a fresh empty store.</summary>
public abstract class ProjectStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private IProjectStore? _store;

    protected IProjectStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected abstract Task<IProjectStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateProjectAsync_ThenGet_RoundTrips()
    {
        var project = Project("p1") with
        {
            Description = "desc",
            CustomInstructions = "be brief",
            CustomCategories = [new CustomCategory("pets", "animals the user has")],
        };
        await Store.CreateProjectAsync(project);

        var stored = await Store.GetProjectAsync("p1");
        Assert.NotNull(stored);
        Assert.Equal("org", stored.OrgId);
        Assert.Equal("desc", stored.Description);
        Assert.Equal("be brief", stored.CustomInstructions);
        Assert.Equal(new CustomCategory("pets", "animals the user has"), Assert.Single(stored.CustomCategories!));
        Assert.Equal(T0, stored.CreatedAt);
    }

    [Fact]
    public async Task GetProjectAsync_Missing_ReturnsNull()
    {
        Assert.Null(await Store.GetProjectAsync("nope"));
    }

    [Fact]
    public async Task CreateProjectAsync_Duplicate_ThrowsConflict()
    {
        await Store.CreateProjectAsync(Project("p1"));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.CreateProjectAsync(Project("p1")));
    }

    [Fact]
    public async Task UpdateProjectAsync_Existing_Replaces()
    {
        await Store.CreateProjectAsync(Project("p1"));
        await Store.UpdateProjectAsync(Project("p1") with { Name = "renamed", CustomCategories = null });
        Assert.Equal("renamed", (await Store.GetProjectAsync("p1"))!.Name);
    }

    [Fact]
    public async Task UpdateProjectAsync_Missing_ThrowsNotFound()
    {
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Store.UpdateProjectAsync(Project("ghost")));
        Assert.Equal(ResourceKind.Project, missing.Resource);
    }

    [Fact]
    public async Task ListProjectsAsync_ReturnsAll()
    {
        await Store.CreateProjectAsync(Project("p1"));
        await Store.CreateProjectAsync(Project("p2"));
        Assert.Equal(["p1", "p2"], (await Store.ListProjectsAsync()).Select(p => p.ProjectId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindApiKeyByHashAsync_ActiveKey_Found()
    {
        await Store.CreateApiKeyAsync(Key("k1", "p1", "hash1"));
        var key = await Store.FindApiKeyByHashAsync("hash1");
        Assert.NotNull(key);
        Assert.Equal("k1", key.Id);
        Assert.Equal("p1", key.ProjectId);
        Assert.Equal("m0-abc", key.Prefix);
        Assert.Null(await Store.FindApiKeyByHashAsync("other"));
    }

    [Fact]
    public async Task RevokeApiKeyAsync_Revoked_NotFoundByHash()
    {
        await Store.CreateApiKeyAsync(Key("k1", "p1", "hash1"));
        Assert.True(await Store.RevokeApiKeyAsync("p1", "k1", T0.AddDays(1)));
        Assert.Null(await Store.FindApiKeyByHashAsync("hash1"));
        Assert.Equal(T0.AddDays(1), Assert.Single(await Store.ListApiKeysAsync("p1")).RevokedAt);
    }

    [Fact]
    public async Task RevokeApiKeyAsync_OtherProjectOrUnknown_ReturnsFalse()
    {
        await Store.CreateApiKeyAsync(Key("k1", "p1", "hash1"));
        Assert.False(await Store.RevokeApiKeyAsync("p2", "k1", T0));
        Assert.False(await Store.RevokeApiKeyAsync("p1", "nope", T0));
        Assert.NotNull(await Store.FindApiKeyByHashAsync("hash1"));
    }

    [Fact]
    public async Task ListApiKeysAsync_OnlyThatProject()
    {
        await Store.CreateApiKeyAsync(Key("k1", "p1", "h1"));
        await Store.CreateApiKeyAsync(Key("k2", "p1", "h2"));
        await Store.CreateApiKeyAsync(Key("k3", "p2", "h3"));
        Assert.Equal(["k1", "k2"], (await Store.ListApiKeysAsync("p1")).Select(k => k.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await Store.ListApiKeysAsync("p9"));
    }

    protected static Project Project(string id) => new()
    {
        OrgId = "org",
        ProjectId = id,
        Name = "Project " + id,
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    protected static ApiKeyRecord Key(string id, string projectId, string hash) => new()
    {
        Id = id,
        OrgId = "org",
        ProjectId = projectId,
        Name = "key " + id,
        KeyHash = hash,
        Prefix = "m0-abc",
        CreatedAt = T0,
    };
}
