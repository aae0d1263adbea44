using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Mem0.Core.Webhooks;

namespace Mem0.Azure.Webhooks;

/// <summary>
/// Delivery messages on Azure Storage queues: one base64 JSON message per (change, webhook) on
/// <c>webhook-deliveries</c>, retries as new messages hidden for the backoff delay (visibility timeout), and
/// dead letters on <c>webhook-deliveries-poison</c> (the name the Functions queue trigger uses for its own poison messages).
/// Also a pulling <see cref="IWebhookDeliveryQueue"/> for the local server on Azurite: a received message stays hidden
/// for its lease and is deleted only after processing, so a killed process's messages reappear and are delivered.
/// </summary>
public sealed class StorageQueueNotificationTransport : INotificationTransport, IWebhookDeliveryQueue
{
    /// <summary>An empty queue is polled at this pace by the local server (the Functions app uses the queue trigger instead).</summary>
    private static readonly TimeSpan EmptyPollDelay = TimeSpan.FromMilliseconds(500);

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

    public async Task<IReadOnlyList<LeasedDelivery>> ReceiveAsync(int maxCount, TimeSpan lease, IReadOnlyCollection<string> busyWebhookIds, CancellationToken cancellationToken = default)
    {
        QueueMessage[] received = await Deliveries.ReceiveMessagesAsync(Math.Clamp(maxCount, 1, 32), lease, cancellationToken);
        var result = new List<LeasedDelivery>(received.Length);
        foreach (var item in received)
        {
            try
            {
                result.Add(new LeasedDelivery(WebhookDeliveryMessage.FromJson(item.MessageText), new Receipt(item.MessageId, item.PopReceipt)));
            }
            catch (JsonException)
            {
                // Not ours or corrupted: park it untouched rather than retry forever.
                await Poison.SendMessageAsync(item.MessageText, visibilityTimeout: null, timeToLive: NoExpiry, cancellationToken);
                await Deliveries.DeleteMessageAsync(item.MessageId, item.PopReceipt, cancellationToken);
            }
        }

        return result;
    }

    public Task CompleteAsync(LeasedDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var receipt = (Receipt)delivery.Receipt;
        return Deliveries.DeleteMessageAsync(receipt.MessageId, receipt.PopReceipt, cancellationToken);
    }

    public Task ReleaseAsync(LeasedDelivery delivery, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var receipt = (Receipt)delivery.Receipt;
        return Deliveries.UpdateMessageAsync(receipt.MessageId, receipt.PopReceipt, visibilityTimeout: delay < TimeSpan.Zero ? TimeSpan.Zero : delay, cancellationToken: cancellationToken);
    }

    public Task WaitForMessagesAsync(TimeSpan maxWait, IReadOnlyCollection<string> busyWebhookIds, CancellationToken cancellationToken = default) =>
        Task.Delay(maxWait < EmptyPollDelay ? maxWait : EmptyPollDelay, cancellationToken);

    private sealed record Receipt(string MessageId, string PopReceipt);
}
