using Mem0.Core.Projects;
using Mem0.Testing.Stores;
using Microsoft.Extensions.Time.Testing;

namespace Mem0.Core.Tests.Projects;

public sealed class ProjectBootstrapperTests
{
    private readonly InMemoryProjectStore _store = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task EnsureDefault_FirstStartWithoutKey_CreatesProjectAndGeneratesOneKey()
    {
        var bootstrapper = new ProjectBootstrapper(_store, _time);

        var first = await bootstrapper.EnsureDefaultProjectAsync(null);
        var second = await bootstrapper.EnsureDefaultProjectAsync(null);

        Assert.True(first.ProjectCreated);
        Assert.NotNull(first.GeneratedApiKey);
        Assert.NotNull(await _store.FindApiKeyByHashAsync(ApiKeys.Hash(first.GeneratedApiKey)));
        Assert.False(second.ProjectCreated);
        Assert.Null(second.GeneratedApiKey);
        Assert.Single(await _store.ListApiKeysAsync(ProjectBootstrapper.DefaultProjectId));
    }

    [Fact]
    public async Task EnsureDefault_ConfiguredKey_RegistersItsHashOnce()
    {
        var bootstrapper = new ProjectBootstrapper(_store, _time);

        var first = await bootstrapper.EnsureDefaultProjectAsync("m0-mine");
        var second = await bootstrapper.EnsureDefaultProjectAsync("m0-mine");

        Assert.Null(first.GeneratedApiKey);
        Assert.True(first.ConfiguredKeyAdded);
        Assert.False(second.ConfiguredKeyAdded);
        var key = Assert.Single(await _store.ListApiKeysAsync(ProjectBootstrapper.DefaultProjectId));
        Assert.Equal(ApiKeys.Hash("m0-mine"), key.KeyHash);
    }
}
