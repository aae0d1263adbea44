using System.Text.Json;
using Azure.Storage.Queues.Models;
using Mem0.Core.Webhooks;
using Microsoft.Extensions.Logging;

namespace Mem0.Azure.Webhooks;

/// <summary>
/// Pulls delivery messages from the Storage queue and hands them to the processor — for hosts without a queue trigger
/// (the local server on Azurite) and for tests. The Functions host uses <c>DeliverWebhookFunction</c> instead.
/// A message is deleted only after it was processed, so a crash redelivers it (at-least-once; the processor
/// de-duplicates by delivery id).
/// </summary>
public sealed partial class StorageQueueDeliveryPump
{
    /// <summary>How long a received message stays hidden while it is processed: longer than one attempt can take.</summary>
    private static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(5);

    private readonly StorageQueueNotificationTransport _transport;
    private readonly WebhookDeliveryProcessor _processor;
    private readonly ILogger<StorageQueueDeliveryPump> _logger;

    public StorageQueueDeliveryPump(StorageQueueNotificationTransport transport, WebhookDeliveryProcessor processor, ILogger<StorageQueueDeliveryPump> logger)
    {
        _transport = transport;
        _processor = processor;
        _logger = logger;
    }

    /// <summary>Processes up to <paramref name="maxMessages"/> visible messages; returns how many were received.</summary>
    public async Task<int> ProcessBatchAsync(int maxMessages = 16, CancellationToken cancellationToken = default)
    {
        QueueMessage[] messages = await _transport.Deliveries.ReceiveMessagesAsync(maxMessages, ProcessingLease, cancellationToken);
        foreach (var received in messages)
        {
            WebhookDeliveryMessage message;
            try
            {
                message = WebhookDeliveryMessage.FromJson(received.MessageText);
            }
            catch (JsonException)
            {
                // Not ours or corrupted: park it untouched rather than retry forever.
                LogMalformed(_logger, received.MessageId);
                await _transport.Poison.SendMessageAsync(received.MessageText, cancellationToken);
                await _transport.Deliveries.DeleteMessageAsync(received.MessageId, received.PopReceipt, cancellationToken);
                continue;
            }

            // An exception here leaves the message in the queue; it reappears after the lease and is retried.
            await _processor.ProcessAsync(message, cancellationToken);
            await _transport.Deliveries.DeleteMessageAsync(received.MessageId, received.PopReceipt, cancellationToken);
        }

        return messages.Length;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue message {MessageId} is not a webhook delivery; moved to the poison queue")]
    private static partial void LogMalformed(ILogger logger, string messageId);
}
