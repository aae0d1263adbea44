using System.Net;
using System.Net.Http.Json;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Http;

[Collection(ServerCollection.Name)]
public sealed class AuthTests(ServerFixture server)
{
    [Fact]
    public async Task Ping_ValidKey_ReturnsOkWithNonEmptyIdsAndEmail()
    {
        using var client = server.Client();
        var response = await client.GetAsync("/v1/ping/?source=CLI");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Shape.HasString(body, "org_id");
        Shape.HasString(body, "project_id");
        Shape.HasString(body, "user_email");
        Shape.IsSnakeCase(body);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Token m0-wrong")]
    [InlineData("Token ")]
    [InlineData("Basic abc")]
    public async Task Ping_MissingOrWrongKey_Returns401WithDetail(string? authorization)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.GetAsync("/v1/ping/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Invalid API key", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task MemoryEndpoints_WithoutKey_Return401()
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var response = await client.PostAsJsonAsync("/v3/memories/search/", new { query = "x", filters = new { user_id = "a" } });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Admin_CreateProjectAndKey_KeyPingsAsTheNewProject()
    {
        var (projectId, key) = await server.CreateProjectAsync("second");
        using var client = server.Client(key);

        var body = await ReadJsonAsync(await client.GetAsync("/v1/ping/"));

        Assert.Equal(projectId, body.GetProperty("project_id").GetString());
        Assert.StartsWith("m0-", key);
    }

    [Fact]
    public async Task Admin_ListKeys_NeverShowsSecretOrHash()
    {
        var (projectId, key) = await server.CreateProjectAsync("listing");
        using var admin = server.AdminClient();

        var response = await admin.GetAsync($"/v1/admin/projects/{projectId}/api-keys/");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Mem0.Core.Projects.ApiKeys.Hash(key), text, StringComparison.Ordinal);
        Assert.Contains("\"prefix\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_RevokeKey_KeyStopsWorking()
    {
        var (projectId, key) = await server.CreateProjectAsync("revoking");
        using var admin = server.AdminClient();
        var keys = await ReadJsonAsync(await admin.GetAsync($"/v1/admin/projects/{projectId}/api-keys/"));
        var keyId = keys[0].GetProperty("id").GetString();

        var revoke = await admin.DeleteAsync($"/v1/admin/projects/{projectId}/api-keys/{keyId}/");
        using var client = server.Client(key);
        var ping = await client.GetAsync("/v1/ping/");

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    public async Task Admin_MissingOrWrongAdminKey_Returns401(string? adminKey)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        if (adminKey is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Admin " + adminKey);
        }

        var response = await client.GetAsync("/v1/admin/projects/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Shape.IsError(body, "error");
    }

    [Fact]
    public async Task Admin_ApiKeyIsNotAnAdminKey_Returns401()
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Admin " + server.ApiKey);

        var response = await client.GetAsync("/v1/admin/projects/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Admin_AuthorizationAdminScheme_IsAccepted()
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Admin " + AdminKey);

        var response = await client.GetAsync("/v1/admin/projects/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
