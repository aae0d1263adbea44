namespace Mem0.Core.Webhooks;

/// <summary>Webhooks, their delivery log, and the record of deliveries already completed (for de-duplication).</summary>
public interface IWebhookStore
{
    /// <summary>Throws <see cref="Common.ConcurrencyConflictException"/> when the id exists.</summary>
    Task CreateAsync(Webhook webhook, CancellationToken cancellationToken = default);

    /// <summary>By id alone (the update and delete routes carry no project); callers check the project.</summary>
    Task<Webhook?> GetAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>The project's webhooks, oldest first.</summary>
    Task<IReadOnlyList<Webhook>> ListAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the webhook; throws <see cref="Common.NotFoundException"/> when absent.</summary>
    Task UpdateAsync(Webhook webhook, CancellationToken cancellationToken = default);

    /// <summary>Returns false when there was no such webhook.</summary>
    Task<bool> DeleteAsync(string webhookId, CancellationToken cancellationToken = default);

    /// <summary>Appends to the delivery log; a terminal entry also marks the delivery id as processed.</summary>
    Task RecordDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>The terminal outcome of a delivery id, or null while it is still unprocessed or retrying.</summary>
    Task<WebhookDelivery?> GetCompletedDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets the terminal outcome of a delivery id so it can be processed again (a redelivery the owner asked for).
    /// Returns false when the id had no terminal outcome.
    /// </summary>
    Task<bool> ReopenDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Every log entry of one delivery id, newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveryAttemptsAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The webhook's most recent log entries, newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string webhookId, int maxCount, CancellationToken cancellationToken = default);
}
