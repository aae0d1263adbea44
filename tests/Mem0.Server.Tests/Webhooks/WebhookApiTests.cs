using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Core.Webhooks;
using Mem0.Testing.Webhooks;

namespace Mem0.Server.Tests.Webhooks;

/// <summary>The registration API and delivery end to end over real HTTP, the server in Development mode.</summary>
public sealed class WebhookApiTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Environment = "Development" };
    private WebhookReceiver _receiver = null!;
    private string _projectId = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
        using var client = _server.Client();
        var ping = await ServerFixture.ReadJsonAsync(await client.GetAsync("/v1/ping/"));
        _projectId = ping.GetProperty("project_id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _server.DisposeAsync();
    }

    private async Task<JsonElement> CreateAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.Created, string? projectId = null)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/webhooks/projects/{projectId ?? _projectId}/", body);
        var json = await ServerFixture.ReadJsonAsync(response);
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    [Fact]
    public async Task Lifecycle_CreateListUpdateDelete_UsesContractShapes()
    {
        using var client = _server.Client();

        var created = await CreateAsync(client, new { name = "My hook", url = _receiver.Url, event_types = new[] { "memory_add", "memory_delete" } });
        var webhookId = created.GetProperty("webhook_id").GetString()!;
        Assert.Equal("My hook", created.GetProperty("name").GetString());
        Assert.Equal(_receiver.Url, created.GetProperty("url").GetString());
        Assert.Equal(["memory_add", "memory_delete"], created.GetProperty("event_types").EnumerateArray().Select(e => e.GetString()));
        Assert.True(created.GetProperty("is_active").GetBoolean());
        Assert.Equal(_projectId, created.GetProperty("project").GetString());
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.True(created.TryGetProperty("created_at", out _));
        Assert.True(created.TryGetProperty("owner", out _));

        var list = await ServerFixture.ReadJsonAsync(await client.GetAsync($"/api/v1/webhooks/projects/{_projectId}/"));
        var listed = Assert.Single(list.EnumerateArray());
        Assert.Equal(webhookId, listed.GetProperty("webhook_id").GetString());
        Assert.False(listed.TryGetProperty("secret", out _));

        var update = await client.PutAsJsonAsync($"/api/v1/webhooks/{webhookId}/", new { name = "Renamed" });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("Webhook updated successfully", (await ServerFixture.ReadJsonAsync(update)).GetProperty("message").GetString());

        var delete = await client.DeleteAsync($"/api/v1/webhooks/{webhookId}/");
        Assert.Equal("Webhook deleted successfully", (await ServerFixture.ReadJsonAsync(delete)).GetProperty("message").GetString());
        var again = await client.DeleteAsync($"/api/v1/webhooks/{webhookId}/");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("Webhook not found", (await ServerFixture.ReadJsonAsync(again)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task OtherProjectsKey_IsForbidden()
    {
        using var owner = _server.Client();
        var created = await CreateAsync(owner, new { name = "h", url = _receiver.Url, event_types = new[] { "memory_add" } });
        var webhookId = created.GetProperty("webhook_id").GetString();
        var (_, otherKey) = await _server.CreateProjectAsync("other");
        using var stranger = _server.Client(otherKey);

        var list = await stranger.GetAsync($"/api/v1/webhooks/projects/{_projectId}/");
        var create = await stranger.PostAsJsonAsync($"/api/v1/webhooks/projects/{_projectId}/", new { name = "x", url = _receiver.Url, event_types = new[] { "memory_add" } });
        var update = await stranger.PutAsJsonAsync($"/api/v1/webhooks/{webhookId}/", new { name = "stolen" });
        var delete = await stranger.DeleteAsync($"/api/v1/webhooks/{webhookId}/");

        Assert.All([list, create, update, delete], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Contains("access", (await ServerFixture.ReadJsonAsync(update)).GetProperty("error").GetString(), StringComparison.Ordinal);
        var stillThere = await ServerFixture.ReadJsonAsync(await owner.GetAsync($"/api/v1/webhooks/projects/{_projectId}/"));
        Assert.Equal("h", Assert.Single(stillThere.EnumerateArray()).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{"url": "https://hooks.example.com/x", "event_types": ["memory_add"]}""", "name")]
    [InlineData("""{"name": "n", "url": "not a url", "event_types": ["memory_add"]}""", "url")]
    [InlineData("""{"name": "n", "url": "https://10.0.0.1/x", "event_types": ["memory_add"]}""", "url")]
    [InlineData("""{"name": "n", "url": "https://169.254.169.254/latest", "event_types": ["memory_add"]}""", "url")]
    [InlineData("""{"name": "n", "url": "https://[fc00::1]/x", "event_types": ["memory_add"]}""", "url")]
    [InlineData("""{"name": "n", "url": "http://127.0.0.1:1/x", "event_types": ["memory_boom"]}""", "event_types")]
    [InlineData("""{"name": "n", "url": "http://127.0.0.1:1/x", "event_types": "memory_add"}""", "event_types")]
    public async Task Create_Invalid_Returns400KeyedByField(string body, string field)
    {
        using var client = _server.Client();

        var response = await client.PostAsync($"/api/v1/webhooks/projects/{_projectId}/", ServerFixture.RawJson(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await ServerFixture.ReadJsonAsync(response);
        Assert.Equal(JsonValueKind.Array, json.GetProperty(field).ValueKind);
        Assert.NotEmpty(json.GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task Update_UnknownWebhook_Returns404()
    {
        using var client = _server.Client();

        var response = await client.PutAsJsonAsync("/api/v1/webhooks/does-not-exist/", new { name = "x" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AddMemory_SubscribedWebhook_ReceivesSignedNotification()
    {
        using var client = _server.Client();
        var created = await CreateAsync(client, new { name = "h", url = _receiver.Url, event_types = new[] { "memory_add" } });
        var secret = created.GetProperty("secret").GetString()!;

        var add = await client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = new[] { new { role = "user", content = "My name is Alex" } },
            user_id = "alice",
            infer = false,
        });
        Assert.True(add.IsSuccessStatusCode, await add.Content.ReadAsStringAsync());
        await _receiver.WaitForAsync(1);

        var received = _receiver.Received[0];
        Assert.True(WebhookSigner.Verify(secret, received.Header(WebhookSigner.SignatureHeader), received.Body, DateTimeOffset.UtcNow));
        using var body = JsonDocument.Parse(received.Body);
        var details = body.RootElement.GetProperty("event_details");
        Assert.Equal("ADD", details.GetProperty("event").GetString());
        Assert.Equal("My name is Alex", details.GetProperty("data").GetProperty("memory").GetString());
        Assert.Equal("memory_add", body.RootElement.GetProperty("event_type").GetString());
        Assert.Equal(_projectId, body.RootElement.GetProperty("project_id").GetString());
    }
}
