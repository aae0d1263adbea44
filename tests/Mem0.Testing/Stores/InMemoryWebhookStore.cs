using System.Collections.Concurrent;
using Mem0.Core.Common;
using Mem0.Core.Webhooks;

namespace Mem0.Testing.Stores;

/// <summary>A process-local <see cref="IWebhookStore"/>: for tests and as the reference behaviour for the durable stores.</summary>
public sealed class InMemoryWebhookStore : IWebhookStore
{
    private readonly ConcurrentDictionary<string, Webhook> _webhooks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WebhookDelivery> _completed = new(StringComparer.Ordinal);
    private readonly List<WebhookDelivery> _log = [];
    private readonly Lock _logLock = new();

    public Task CreateAsync(Webhook webhook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (!_webhooks.TryAdd(webhook.Id, webhook))
        {
            throw new ConcurrencyConflictException($"Webhook '{webhook.Id}' already exists.");
        }

        return Task.CompletedTask;
    }

    public Task<Webhook?> GetAsync(string webhookId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_webhooks.GetValueOrDefault(webhookId));

    public Task<IReadOnlyList<Webhook>> ListAsync(string projectId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Webhook> result = _webhooks.Values
            .Where(w => w.ProjectId == projectId)
            .OrderBy(w => w.CreatedAt)
            .ThenBy(w => w.Id, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(result);
    }

    public Task UpdateAsync(Webhook webhook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (!_webhooks.ContainsKey(webhook.Id))
        {
            throw new NotFoundException(ResourceKind.Webhook, "Webhook not found");
        }

        _webhooks[webhook.Id] = webhook;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string webhookId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_webhooks.TryRemove(webhookId, out _));

    public Task RecordDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_logLock)
        {
            _log.Add(delivery);
        }

        if (delivery.IsTerminal)
        {
            _completed.TryAdd(delivery.DeliveryId, delivery);
        }

        return Task.CompletedTask;
    }

    public Task<WebhookDelivery?> GetCompletedDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_completed.GetValueOrDefault(deliveryId));

    public Task<bool> ReopenDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_completed.TryRemove(deliveryId, out _));

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveryAttemptsAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        lock (_logLock)
        {
            IReadOnlyList<WebhookDelivery> result = _log.Where(d => d.DeliveryId == deliveryId).Reverse().ToList();
            return Task.FromResult(result);
        }
    }

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string webhookId, int maxCount, CancellationToken cancellationToken = default)
    {
        lock (_logLock)
        {
            IReadOnlyList<WebhookDelivery> result = _log
                .Where(d => d.WebhookId == webhookId)
                .Reverse()
                .Take(maxCount)
                .ToList();
            return Task.FromResult(result);
        }
    }
}
