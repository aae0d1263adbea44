namespace Mem0.Core.Webhooks;

/// <summary>A message taken from a <see cref="IWebhookDeliveryQueue"/>: hidden from other receivers until completed or released.</summary>
/// <param name="Message">The delivery.</param>
/// <param name="Receipt">What the queue needs to complete or release it (row id, pop receipt).</param>
public sealed record LeasedDelivery(WebhookDeliveryMessage Message, object Receipt);

/// <summary>
/// The receiving side of a durable delivery queue, for hosts that pull (the local server on SQLite or on Azurite).
/// A message stays in the queue until completed: a process killed at any point leaves it there, and it is received
/// again (at-least-once; the processor de-duplicates by delivery id). The Functions app has a queue trigger instead.
/// </summary>
public interface IWebhookDeliveryQueue
{
    /// <summary>
    /// Takes up to <paramref name="maxCount"/> visible messages, hiding each for <paramref name="lease"/>. Messages for
    /// webhooks in <paramref name="busyWebhookIds"/> are left for later where the queue can tell them apart.
    /// </summary>
    Task<IReadOnlyList<LeasedDelivery>> ReceiveAsync(int maxCount, TimeSpan lease, IReadOnlyCollection<string> busyWebhookIds, CancellationToken cancellationToken = default);

    /// <summary>Removes a processed message.</summary>
    Task CompleteAsync(LeasedDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>Puts a message back, visible again after <paramref name="delay"/>, without counting an attempt.</summary>
    Task ReleaseAsync(LeasedDelivery delivery, TimeSpan delay, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until a message for a webhook not in <paramref name="busyWebhookIds"/> may be visible: a local send, the
    /// next scheduled retry coming due, or at most <paramref name="maxWait"/>.
    /// </summary>
    Task WaitForMessagesAsync(TimeSpan maxWait, IReadOnlyCollection<string> busyWebhookIds, CancellationToken cancellationToken = default);
}
