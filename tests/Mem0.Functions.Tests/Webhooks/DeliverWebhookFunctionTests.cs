using System.Text.Json;
using Mem0.Core.Webhooks;
using Mem0.Functions.Webhooks;
using Mem0.Testing.Webhooks;

namespace Mem0.Functions.Tests.Webhooks;

public sealed class DeliverWebhookFunctionTests : IAsyncLifetime
{
    private readonly WebhookTestHarness _harness = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        _harness.Dispose();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task DeliverWebhook_QueueMessage_PostsSignedPayloadOnce()
    {
        var created = await _harness.CreateWebhookAsync(_receiver.Url);
        var details = JsonSerializer.SerializeToElement(new { id = "m1", data = new { memory = "x" }, @event = "ADD" });
        await _harness.Publisher.PublishAsync("proj-1", WebhookEventTypes.MemoryAdd, "h1", details, _harness.Time.GetUtcNow());
        var queued = _harness.TryDequeue()!.ToJson();
        var function = new DeliverWebhookFunction(_harness.Processor, new WebhookConcurrencyLimiter(Microsoft.Extensions.Options.Options.Create(_harness.Options)), _harness.Transport);

        await function.DeliverWebhook(queued, CancellationToken.None);
        await function.DeliverWebhook(queued, CancellationToken.None);

        var received = Assert.Single(_receiver.Received);
        Assert.True(WebhookSigner.Verify(created.Secret, received.Header(WebhookSigner.SignatureHeader), received.Body, _harness.Time.GetUtcNow()));
    }

    [Fact]
    public async Task DeliverWebhook_MalformedMessage_Throws()
    {
        var function = new DeliverWebhookFunction(_harness.Processor, new WebhookConcurrencyLimiter(Microsoft.Extensions.Options.Options.Create(_harness.Options)), _harness.Transport);

        await Assert.ThrowsAnyAsync<JsonException>(() => function.DeliverWebhook("{oops", CancellationToken.None));
    }

    [Fact]
    public void QueueName_MatchesOptionsDefault()
    {
        Assert.Equal(DeliverWebhookFunction.QueueName, new WebhookOptions().QueueName);
    }
}
