using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Counts deliveries in flight per webhook in this process, so one slow or hanging receiver can hold at most
/// <see cref="WebhookOptions.MaxConcurrentDeliveriesPerWebhook"/> delivery slots while every other webhook keeps its own.
/// </summary>
public sealed class WebhookConcurrencyLimiter
{
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly int _perWebhook;

    public WebhookConcurrencyLimiter(IOptions<WebhookOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _perWebhook = options.Value.MaxConcurrentDeliveriesPerWebhook;
    }

    /// <summary>Takes a slot for the webhook, or returns false when it already has its share in flight.</summary>
    public bool TryEnter(string webhookId)
    {
        while (true)
        {
            var current = _inFlight.GetOrAdd(webhookId, 0);
            if (current >= _perWebhook)
            {
                return false;
            }

            if (_inFlight.TryUpdate(webhookId, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Exit(string webhookId)
    {
        while (true)
        {
            var current = _inFlight.GetValueOrDefault(webhookId);
            if (current <= 1)
            {
                // Drop the entry so the map does not grow with every webhook ever seen.
                if (_inFlight.TryRemove(new KeyValuePair<string, int>(webhookId, current)) || current == 0)
                {
                    return;
                }

                continue;
            }

            if (_inFlight.TryUpdate(webhookId, current - 1, current))
            {
                return;
            }
        }
    }

    /// <summary>The webhooks that have their full share in flight now.</summary>
    public IReadOnlyCollection<string> BusyWebhooks() =>
        _inFlight.Where(entry => entry.Value >= _perWebhook).Select(entry => entry.Key).ToList();
}
