using Mem0.Core.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Webhooks;

/// <summary>
/// Delivers one webhook message from the <c>webhook-deliveries</c> queue. Retries with backoff and dead-lettering are
/// decided by the processor (it enqueues the next attempt itself); an exception here means the processor could not
/// run (e.g. the store was down), and the Functions runtime retries the message up to <c>maxDequeueCount</c> times
/// before moving it to <c>webhook-deliveries-poison</c>.
/// </summary>
public sealed class DeliverWebhookFunction
{
    /// <summary>Fixed because a trigger attribute needs a constant; matches <see cref="WebhookOptions.QueueName"/>'s default.</summary>
    public const string QueueName = "webhook-deliveries";

    private readonly WebhookDeliveryProcessor _processor;

    public DeliverWebhookFunction(WebhookDeliveryProcessor processor)
    {
        _processor = processor;
    }

    // "Mem0:Webhooks" is an identity-based connection in Azure: Mem0__Webhooks__queueServiceUri, __credential=managedidentity
    // and __clientId (the user-assigned identity), which the scale controller reads too (infra/main.bicep; a test checks).
    [Function(nameof(DeliverWebhook))]
    public Task DeliverWebhook(
        [QueueTrigger(QueueName, Connection = "Mem0:Webhooks")] string message,
        CancellationToken cancellationToken) =>
        _processor.ProcessAsync(WebhookDeliveryMessage.FromJson(message), cancellationToken);
}
