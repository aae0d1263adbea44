using Mem0.Core.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Webhooks;

/// <summary>
/// Delivers one webhook message from the <c>webhook-deliveries</c> queue. Retries with backoff and dead-lettering are
/// decided by the processor (it enqueues the next attempt itself); an exception here means the processor could not
/// run (e.g. the store was down), and the Functions runtime retries the message up to <c>maxDequeueCount</c> times
/// before moving it to <c>webhook-deliveries-poison</c>. When this instance already has its per-webhook share of
/// deliveries in flight, the message is queued again a second later (same attempt): a hanging receiver holds only its
/// own share of the instance's concurrency.
/// </summary>
public sealed class DeliverWebhookFunction
{
    /// <summary>Fixed because a trigger attribute needs a constant; matches <see cref="WebhookOptions.QueueName"/>'s default.</summary>
    public const string QueueName = "webhook-deliveries";

    private static readonly TimeSpan BusyWebhookDelay = TimeSpan.FromSeconds(1);

    private readonly WebhookDeliveryProcessor _processor;
    private readonly WebhookConcurrencyLimiter _limiter;
    private readonly INotificationTransport _transport;

    public DeliverWebhookFunction(WebhookDeliveryProcessor processor, WebhookConcurrencyLimiter limiter, INotificationTransport transport)
    {
        _processor = processor;
        _limiter = limiter;
        _transport = transport;
    }

    // "Mem0:Webhooks" is an identity-based connection in Azure: Mem0__Webhooks__queueServiceUri, __credential=managedidentity
    // and __clientId (the user-assigned identity), which the scale controller reads too (infra/main.bicep; a test checks).
    [Function(nameof(DeliverWebhook))]
    public async Task DeliverWebhook(
        [QueueTrigger(QueueName, Connection = "Mem0:Webhooks")] string message,
        CancellationToken cancellationToken)
    {
        var delivery = WebhookDeliveryMessage.FromJson(message);
        if (!_limiter.TryEnter(delivery.WebhookId))
        {
            await _transport.SendDelayedAsync(delivery, BusyWebhookDelay, cancellationToken);
            return;
        }

        try
        {
            await _processor.ProcessAsync(delivery, cancellationToken);
        }
        finally
        {
            _limiter.Exit(delivery.WebhookId);
        }
    }
}
