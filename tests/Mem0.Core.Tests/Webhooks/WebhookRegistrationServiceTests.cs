using Mem0.Core.Common;
using Mem0.Core.Webhooks;
using Mem0.Testing.Webhooks;

namespace Mem0.Core.Tests.Webhooks;

public sealed class WebhookRegistrationServiceTests : IDisposable
{
    private readonly WebhookTestHarness _harness = new(allowLoopback: false, resolver: new FakeHostResolver()
        .Map("hooks.example.com", "93.184.216.34")
        .Map("intranet.example.com", "192.168.10.20"));

    public void Dispose() => _harness.Dispose();

    private Task<CreatedWebhook> CreateAsync(string projectId = "p1") =>
        _harness.Registration.CreateAsync(projectId, projectId, new WebhookDraft("hook", "https://hooks.example.com/in", ["memory_add", "memory_add"]), "me");

    [Fact]
    public async Task CreateAsync_ValidDraft_StoresProtectedSecretAndReturnsItOnce()
    {
        var created = await CreateAsync();

        var stored = await _harness.Store.GetAsync(created.Webhook.Id);
        Assert.NotNull(stored);
        Assert.DoesNotContain(created.Secret, stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(created.Secret, _harness.Secrets.Unprotect(stored.ProtectedSecret));
        Assert.Equal(["memory_add"], stored.EventTypes);
        Assert.True(stored.IsActive);
    }

    [Fact]
    public async Task CreateAsync_MissingFields_ReportsEachField()
    {
        var ex = await Assert.ThrowsAsync<WebhookValidationException>(() =>
            _harness.Registration.CreateAsync("p1", "p1", new WebhookDraft(null, null, null), null));

        Assert.Equal(["event_types", "name", "url"], ex.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("This field is required.", ex.Errors["name"][0]);
    }

    [Theory]
    [InlineData("https://intranet.example.com/in", "url")]
    [InlineData("http://hooks.example.com/in", "url")]
    [InlineData("https://169.254.169.254/", "url")]
    [InlineData("nonsense", "url")]
    public async Task CreateAsync_BadUrl_FailsOnUrl(string url, string field)
    {
        var ex = await Assert.ThrowsAsync<WebhookValidationException>(() =>
            _harness.Registration.CreateAsync("p1", "p1", new WebhookDraft("n", url, ["memory_add"]), null));

        Assert.Equal(field, Assert.Single(ex.Errors).Key);
    }

    [Fact]
    public async Task CreateAsync_UnknownEventType_FailsOnEventTypes()
    {
        var ex = await Assert.ThrowsAsync<WebhookValidationException>(() =>
            _harness.Registration.CreateAsync("p1", "p1", new WebhookDraft("n", "https://hooks.example.com/in", ["memory_add", "memory_explode"]), null));

        Assert.Contains("memory_explode", Assert.Single(ex.Errors["event_types"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_OtherProject_IsDenied()
    {
        await Assert.ThrowsAsync<WebhookAccessDeniedException>(() =>
            _harness.Registration.CreateAsync("p1", "p2", new WebhookDraft("n", "https://hooks.example.com/in", ["memory_add"]), null));
    }

    [Fact]
    public async Task UpdateAsync_OtherProjectsWebhook_IsDenied()
    {
        var created = await CreateAsync("p1");

        await Assert.ThrowsAsync<WebhookAccessDeniedException>(() => _harness.Registration.UpdateAsync("p2", created.Webhook.Id, new WebhookDraft("x", null, null)));
        await Assert.ThrowsAsync<WebhookAccessDeniedException>(() => _harness.Registration.DeleteAsync("p2", created.Webhook.Id));
        Assert.NotNull(await _harness.Store.GetAsync(created.Webhook.Id));
    }

    [Fact]
    public async Task UpdateAsync_Unknown_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Registration.UpdateAsync("p1", "nope", new WebhookDraft("x", null, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => _harness.Registration.DeleteAsync("p1", "nope"));
    }

    [Fact]
    public async Task UpdateAsync_Subset_ChangesOnlyGivenFields()
    {
        var created = await CreateAsync();

        var updated = await _harness.Registration.UpdateAsync("p1", created.Webhook.Id, new WebhookDraft("renamed", null, null));

        Assert.Equal("renamed", updated.Name);
        Assert.Equal(created.Webhook.Url, updated.Url);
        Assert.Equal(created.Webhook.ProtectedSecret, updated.ProtectedSecret);
    }

    [Fact]
    public async Task UpdateAsync_PrivateUrl_IsRejected()
    {
        var created = await CreateAsync();

        var ex = await Assert.ThrowsAsync<WebhookValidationException>(() =>
            _harness.Registration.UpdateAsync("p1", created.Webhook.Id, new WebhookDraft(null, "https://intranet.example.com/x", null)));

        Assert.Equal("url", ex.Field);
    }

    [Fact]
    public async Task UpdateAsync_ReactivateDisabled_ClearsFailures()
    {
        var created = await CreateAsync();
        await _harness.Store.UpdateAsync(created.Webhook with { IsActive = false, ConsecutiveFailures = 5, DisabledReason = "broken" });

        var updated = await _harness.Registration.UpdateAsync("p1", created.Webhook.Id, new WebhookDraft(null, null, null, IsActive: true));

        Assert.True(updated.IsActive);
        Assert.Equal(0, updated.ConsecutiveFailures);
        Assert.Null(updated.DisabledReason);
    }

    [Fact]
    public async Task ListAsync_OnlyCallersProject()
    {
        await CreateAsync("p1");
        await CreateAsync("p2");

        Assert.Single(await _harness.Registration.ListAsync("p1", "p1"));
        await Assert.ThrowsAsync<WebhookAccessDeniedException>(() => _harness.Registration.ListAsync("p1", "p2"));
    }
}
