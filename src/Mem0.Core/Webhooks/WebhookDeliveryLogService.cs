using Mem0.Core.Common;

namespace Mem0.Core.Webhooks;

/// <summary>Where one delivery stands, summarised from its log entries.</summary>
public sealed record WebhookDeliverySummary(
    string DeliveryId,
    string EventType,
    WebhookDeliveryStatus Status,
    int Attempts,
    string? LastError,
    int? ResponseCode,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Dead-lettered and skipped deliveries can be sent again on request.</summary>
    public bool CanRedeliver => Status is WebhookDeliveryStatus.DeadLettered or WebhookDeliveryStatus.Skipped;
}

/// <summary>A webhook's recent deliveries, and redelivery of the ones that were dead-lettered or skipped.</summary>
public sealed class WebhookDeliveryLogService
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    private readonly IWebhookStore _store;
    private readonly INotificationTransport _transport;

    public WebhookDeliveryLogService(IWebhookStore store, INotificationTransport transport)
    {
        _store = store;
        _transport = transport;
    }

    /// <summary>The webhook's most recent deliveries, newest first, one row per delivery id.</summary>
    public async Task<IReadOnlyList<WebhookDeliverySummary>> ListAsync(string callerProjectId, string webhookId, int limit, CancellationToken cancellationToken = default)
    {
        await GetOwnedAsync(callerProjectId, webhookId, cancellationToken);
        limit = Math.Clamp(limit, 1, MaxLimit);
        // Each delivery has a few log entries (one per attempt); read enough to fill the page in the common case.
        var entries = await _store.ListDeliveriesAsync(webhookId, limit * 8, cancellationToken);
        return [.. entries
            .GroupBy(e => e.DeliveryId, StringComparer.Ordinal)
            .Select(Summarise)
            .OrderByDescending(s => s.UpdatedAt)
            .Take(limit)];
    }

    /// <summary>
    /// Queues a dead-lettered or skipped delivery again, as a first attempt with the same delivery id (receivers that
    /// saw it before can recognise it). The webhook must be active.
    /// </summary>
    public async Task RedeliverAsync(string callerProjectId, string webhookId, string deliveryId, CancellationToken cancellationToken = default)
    {
        var webhook = await GetOwnedAsync(callerProjectId, webhookId, cancellationToken);
        var entries = (await _store.ListDeliveryAttemptsAsync(deliveryId, cancellationToken))
            .Where(e => e.WebhookId == webhookId)
            .ToList();
        if (entries.Count == 0)
        {
            throw new NotFoundException(ResourceKind.WebhookDelivery, "Delivery not found");
        }

        var summary = Summarise(entries);
        if (!summary.CanRedeliver)
        {
            throw new WebhookRedeliveryConflictException(
                $"Only dead-lettered or skipped deliveries can be redelivered; this one is {WireStatus(summary.Status)}.");
        }

        if (!webhook.IsActive)
        {
            throw new WebhookRedeliveryConflictException("The webhook is disabled; enable it (is_active: true) before redelivering.");
        }

        var message = entries.FirstOrDefault(e => e.Message is not null)?.Message
            ?? throw new WebhookRedeliveryConflictException("This delivery was recorded without its message and cannot be redelivered.");
        await _store.ReopenDeliveryAsync(deliveryId, cancellationToken);
        await _transport.SendAsync(message with { Attempt = 1 }, cancellationToken);
    }

    /// <summary>The status as the API spells it.</summary>
    public static string WireStatus(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Delivered => "delivered",
        WebhookDeliveryStatus.Failed => "retrying",
        WebhookDeliveryStatus.DeadLettered => "dead_lettered",
        WebhookDeliveryStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static WebhookDeliverySummary Summarise(IEnumerable<WebhookDelivery> newestFirst)
    {
        var entries = newestFirst.ToList();
        var latest = entries[0];
        return new WebhookDeliverySummary(
            latest.DeliveryId,
            latest.EventType,
            latest.Status,
            entries.Max(e => e.Attempt),
            entries.FirstOrDefault(e => e.Error is not null)?.Error,
            entries.FirstOrDefault(e => e.StatusCode is not null)?.StatusCode,
            latest.At);
    }

    private async Task<Webhook> GetOwnedAsync(string callerProjectId, string webhookId, CancellationToken cancellationToken)
    {
        var webhook = await _store.GetAsync(webhookId, cancellationToken) ?? throw new NotFoundException(ResourceKind.Webhook, "Webhook not found");
        if (webhook.ProjectId != callerProjectId)
        {
            throw new WebhookAccessDeniedException("You don't have access to this webhook");
        }

        return webhook;
    }
}
