using Mem0.Azure.Webhooks;
using Mem0.Core.Webhooks;

namespace Mem0.Azure.Tests.Webhooks;

/// <summary>
/// Processes one batch from the Storage queue, one message after another: the Azurite round-trip tests drain with it. The
/// local server on Azurite uses <see cref="WebhookDeliveryWorker"/> over the same queue, which delivers concurrently.
/// A message is deleted only after it was processed, so a crash redelivers it (at-least-once; the processor
/// de-duplicates by delivery id).
/// </summary>
public sealed class StorageQueueDeliveryPump
{
    /// <summary>How long a received message stays hidden while it is processed: longer than one attempt can take.</summary>
    private static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(5);

    private readonly StorageQueueNotificationTransport _transport;
    private readonly WebhookDeliveryProcessor _processor;

    public StorageQueueDeliveryPump(StorageQueueNotificationTransport transport, WebhookDeliveryProcessor processor)
    {
        _transport = transport;
        _processor = processor;
    }

    /// <summary>Processes up to <paramref name="maxMessages"/> visible messages; returns how many were processed.</summary>
    public async Task<int> ProcessBatchAsync(int maxMessages = 16, CancellationToken cancellationToken = default)
    {
        var batch = await _transport.ReceiveAsync(maxMessages, ProcessingLease, [], cancellationToken);
        foreach (var delivery in batch)
        {
            // An exception here leaves the message in the queue; it reappears after the lease and is retried.
            await _processor.ProcessAsync(delivery.Message, cancellationToken);
            await _transport.CompleteAsync(delivery, cancellationToken);
        }

        return batch.Count;
    }
}
