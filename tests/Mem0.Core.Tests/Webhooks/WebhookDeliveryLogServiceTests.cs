using Mem0.Core.Common;
using Mem0.Core.Webhooks;
using Mem0.Testing.Webhooks;

namespace Mem0.Core.Tests.Webhooks;

public sealed class WebhookDeliveryLogServiceTests : IDisposable
{
    private readonly WebhookTestHarness _harness = new();

    private WebhookDeliveryLogService Service => new(_harness.Store, _harness.Transport);

    public void Dispose() => _harness.Dispose();

    private async Task<WebhookDeliveryMessage> DeadLetterAsync(string webhookId)
    {
        var message = new WebhookDeliveryMessage
        {
            DeliveryId = "d1",
            WebhookId = webhookId,
            ProjectId = "proj-1",
            EventType = "memory_add",
            EventDetails = System.Text.Json.JsonSerializer.SerializeToElement(new { id = "m1" }),
            CreatedAt = _harness.Time.GetUtcNow(),
            Attempt = 2,
        };
        await _harness.Store.RecordDeliveryAsync(new WebhookDelivery
        {
            DeliveryId = "d1", WebhookId = webhookId, ProjectId = "proj-1", EventType = "memory_add", Attempt = 1,
            Status = WebhookDeliveryStatus.Failed, StatusCode = 500, Error = "HTTP 500", At = _harness.Time.GetUtcNow(),
        });
        await _harness.Store.RecordDeliveryAsync(new WebhookDelivery
        {
            DeliveryId = "d1", WebhookId = webhookId, ProjectId = "proj-1", EventType = "memory_add", Attempt = 2,
            Status = WebhookDeliveryStatus.DeadLettered, StatusCode = 503, Error = "Gave up", At = _harness.Time.GetUtcNow().AddSeconds(1), Message = message,
        });
        return message;
    }

    [Fact]
    public async Task ListAsync_SummarisesEachDelivery()
    {
        var created = await _harness.CreateWebhookAsync("http://127.0.0.1:1/x");
        await DeadLetterAsync(created.Webhook.Id);

        var row = Assert.Single(await Service.ListAsync("proj-1", created.Webhook.Id, 10));

        Assert.Equal((WebhookDeliveryStatus.DeadLettered, 2, "Gave up", 503, true), (row.Status, row.Attempts, row.LastError, row.ResponseCode, row.CanRedeliver));
    }

    [Fact]
    public async Task RedeliverAsync_DeadLettered_ReopensAndQueuesAFirstAttempt()
    {
        var created = await _harness.CreateWebhookAsync("http://127.0.0.1:1/x");
        await DeadLetterAsync(created.Webhook.Id);

        await Service.RedeliverAsync("proj-1", created.Webhook.Id, "d1");

        Assert.Null(await _harness.Store.GetCompletedDeliveryAsync("d1"));
        var queued = _harness.TryDequeue()!;
        Assert.Equal(("d1", 1), (queued.DeliveryId, queued.Attempt));
    }

    [Fact]
    public async Task RedeliverAsync_DisabledWebhook_Conflicts()
    {
        var created = await _harness.CreateWebhookAsync("http://127.0.0.1:1/x");
        await DeadLetterAsync(created.Webhook.Id);
        await _harness.Registration.UpdateAsync("proj-1", created.Webhook.Id, new WebhookDraft(null, null, null, IsActive: false));

        await Assert.ThrowsAsync<WebhookRedeliveryConflictException>(() => Service.RedeliverAsync("proj-1", created.Webhook.Id, "d1"));
        Assert.Null(_harness.TryDequeue());
    }

    [Fact]
    public async Task RedeliverAsync_UnknownDeliveryOrOtherProject_NotFoundOrDenied()
    {
        var created = await _harness.CreateWebhookAsync("http://127.0.0.1:1/x");

        await Assert.ThrowsAsync<NotFoundException>(() => Service.RedeliverAsync("proj-1", created.Webhook.Id, "nope"));
        await Assert.ThrowsAsync<WebhookAccessDeniedException>(() => Service.RedeliverAsync("proj-2", created.Webhook.Id, "d1"));
    }
}
