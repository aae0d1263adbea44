using Azure.Storage.Queues;
using Mem0.Core.Webhooks;

namespace Mem0.Azure.Webhooks;

/// <summary>
/// Delivery messages on Azure Storage queues: one base64 JSON message per (change, webhook) on
/// <c>webhook-deliveries</c>, retries as new messages hidden for the backoff delay (visibility timeout), and
/// dead letters on <c>webhook-deliveries-poison</c> (the name the Functions queue trigger uses for its own poison messages).
/// </summary>
public sealed class StorageQueueNotificationTransport : INotificationTransport
{
    /// <summary>Storage queues hide a message for at most seven days.</summary>
    private static readonly TimeSpan MaxVisibilityDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    /// <summary>-1 s = never expire: a delivery must not vanish because a retry waited long.</summary>
    private static readonly TimeSpan NoExpiry = TimeSpan.FromSeconds(-1);

    public StorageQueueNotificationTransport(QueueClient deliveries, QueueClient poison)
    {
        Deliveries = deliveries;
        Poison = poison;
    }

    public QueueClient Deliveries { get; }

    public QueueClient Poison { get; }

    public Task SendAsync(WebhookDeliveryMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Deliveries.SendMessageAsync(message.ToJson(), visibilityTimeout: null, timeToLive: NoExpiry, cancellationToken);
    }

    public Task SendDelayedAsync(WebhookDeliveryMessage message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var visibility = delay <= TimeSpan.Zero ? (TimeSpan?)null : delay > MaxVisibilityDelay ? MaxVisibilityDelay : delay;
        return Deliveries.SendMessageAsync(message.ToJson(), visibility, NoExpiry, cancellationToken);
    }

    /// <summary>Parks the message as it was (so it can be re-queued as is); the reason is in the webhook's delivery log.</summary>
    public Task DeadLetterAsync(WebhookDeliveryMessage message, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Poison.SendMessageAsync(message.ToJson(), visibilityTimeout: null, timeToLive: NoExpiry, cancellationToken);
    }
}
