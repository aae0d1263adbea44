namespace Mem0.Core.Webhooks;

/// <summary>
/// Moves delivery messages to the worker that POSTs them: an in-process queue locally, an Azure Storage queue in the
/// cloud. Implementations are at-least-once: a message may arrive more than once, never zero times once accepted.
/// </summary>
public interface INotificationTransport
{
    /// <summary>Enqueues a message for delivery as soon as possible.</summary>
    Task SendAsync(WebhookDeliveryMessage message, CancellationToken cancellationToken = default);

    /// <summary>Enqueues several messages; a transport that can do it in one write overrides this.</summary>
    async Task SendManyAsync(IReadOnlyList<WebhookDeliveryMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            await SendAsync(message, cancellationToken);
        }
    }

    /// <summary>Enqueues a message that becomes visible after <paramref name="delay"/> (retry backoff).</summary>
    Task SendDelayedAsync(WebhookDeliveryMessage message, TimeSpan delay, CancellationToken cancellationToken = default);

    /// <summary>Parks a message that will not be attempted again (poison queue), for inspection.</summary>
    Task DeadLetterAsync(WebhookDeliveryMessage message, string reason, CancellationToken cancellationToken = default);
}
