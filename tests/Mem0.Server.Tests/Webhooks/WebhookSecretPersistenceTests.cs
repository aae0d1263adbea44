using System.Net;
using System.Net.Http.Json;
using Mem0.Core.Webhooks;
using Mem0.Server.Hosting;
using Mem0.Testing.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mem0.Server.Tests.Webhooks;

/// <summary>Webhook signing secrets are encrypted with a key ring kept in the data directory, so a restart keeps them usable.</summary>
public sealed class WebhookSecretPersistenceTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new() { Environment = "Development" };
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Restart_WebhookCreatedBefore_SignsWithTheSameSecretAfter()
    {
        string webhookId;
        string secret;
        using (var client = _server.Client())
        {
            var ping = await ServerFixture.ReadJsonAsync(await client.GetAsync("/v1/ping/"));
            var projectId = ping.GetProperty("project_id").GetString()!;
            var response = await client.PostAsJsonAsync(
                $"/api/v1/webhooks/projects/{projectId}/", new { name = "hook", url = _receiver.Url, event_types = new[] { "memory_add" } });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var created = await ServerFixture.ReadJsonAsync(response);
            webhookId = created.GetProperty("webhook_id").GetString()!;
            secret = created.GetProperty("secret").GetString()!;
        }

        await _server.RestartAsync();

        var stored = await _server.Services.GetRequiredService<IWebhookStore>().GetAsync(webhookId);
        Assert.NotNull(stored);
        Assert.DoesNotContain(secret, stored.ProtectedSecret, StringComparison.Ordinal);
        using (var client = _server.Client())
        {
            var add = await client.PostAsJsonAsync("/v3/memories/add/", new
            {
                messages = new[] { new { role = "user", content = "My name is Alex" } },
                user_id = "alice",
                infer = false,
            });
            Assert.True(add.IsSuccessStatusCode, await add.Content.ReadAsStringAsync());
        }

        await _receiver.WaitForAsync(1);
        var received = _receiver.Received[0];
        Assert.True(WebhookSigner.Verify(secret, received.Header(WebhookSigner.SignatureHeader), received.Body, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Start_KeyRing_IsWrittenUnderTheDataDirectory()
    {
        // Creating a protector and protecting once makes sure the key ring exists.
        _server.Services.GetRequiredService<WebhookSecretProtector>().Protect("probe");

        var keys = new DirectoryInfo(Path.Combine(_server.DataDirectory, ServerDataProtection.KeysDirectoryName));
        Assert.True(keys.Exists, $"{keys.FullName} does not exist");
        Assert.NotEmpty(keys.GetFiles("key-*.xml"));
    }

    [Fact]
    public void DataProtection_ApplicationName_IsFixed()
    {
        var options = _server.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value;

        Assert.Equal(Core.Webhooks.DependencyInjection.DataProtectionApplicationName, options.ApplicationDiscriminator);
    }
}
