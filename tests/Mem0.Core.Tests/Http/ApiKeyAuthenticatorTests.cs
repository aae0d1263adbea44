using Mem0.Core.Http;
using Mem0.Core.Projects;
using Mem0.Testing.Stores;

namespace Mem0.Core.Tests.Http;

public sealed class ApiKeyAuthenticatorTests
{
    [Theory]
    [InlineData("Token abc", "abc")]
    [InlineData("token  abc ", "abc")]
    [InlineData("Bearer abc", "abc")]
    [InlineData("Basic abc", null)]
    [InlineData("Token", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void ExtractKey_Header_ReturnsKeyForKnownSchemes(string? header, string? expected)
    {
        Assert.Equal(expected, ApiKeyAuthenticator.ExtractKey(header));
    }

    [Fact]
    public async Task AuthenticateAsync_KnownKey_ReturnsCallerOfItsProject()
    {
        var (store, key, project) = await StoreWithKeyAsync();
        var authenticator = new ApiKeyAuthenticator(store);

        var caller = await authenticator.AuthenticateAsync("Token " + key);

        Assert.NotNull(caller);
        Assert.Equal(project.ProjectId, caller.ProjectId);
        Assert.Equal(project.OrgId, caller.OrgId);
    }

    [Fact]
    public async Task AuthenticateAsync_RevokedOrUnknownKey_ReturnsNull()
    {
        var (store, key, project) = await StoreWithKeyAsync();
        var authenticator = new ApiKeyAuthenticator(store);
        var keyId = (await store.ListApiKeysAsync(project.ProjectId))[0].Id;
        await store.RevokeApiKeyAsync(project.ProjectId, keyId, DateTimeOffset.UtcNow);

        Assert.Null(await authenticator.AuthenticateAsync("Token " + key));
        Assert.Null(await authenticator.AuthenticateAsync("Token m0-unknown"));
    }

    private static async Task<(InMemoryProjectStore Store, string Key, Project Project)> StoreWithKeyAsync()
    {
        var store = new InMemoryProjectStore();
        var now = DateTimeOffset.UtcNow;
        var project = new Project { OrgId = "org_a", ProjectId = "proj_a", Name = "a", CreatedAt = now, UpdatedAt = now };
        await store.CreateProjectAsync(project);
        var key = ApiKeys.Generate();
        await store.CreateApiKeyAsync(ApiKeys.CreateRecord(project, key, "k", now));
        return (store, key, project);
    }
}
