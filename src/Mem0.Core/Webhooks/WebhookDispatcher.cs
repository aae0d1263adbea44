using Mem0.Core.Memories;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Sweeps the outbox: turns each committed change not yet dispatched into one message per subscribed webhook,
/// enqueues them, then marks the change dispatched. A crash between the two re-enqueues the same delivery ids on
/// the next sweep (at-least-once); the processor and receivers de-duplicate by delivery id.
/// </summary>
public sealed partial class WebhookDispatcher : BackgroundService
{
    private readonly IMemoryChangeOutbox _outbox;
    private readonly IWebhookStore _store;
    private readonly WebhookPublisher _publisher;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WebhookDispatcher> _logger;

    public WebhookDispatcher(
        IMemoryChangeOutbox outbox,
        IWebhookStore store,
        WebhookPublisher publisher,
        IOptions<WebhookOptions> options,
        TimeProvider timeProvider,
        ILogger<WebhookDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _store = store;
        _publisher = publisher;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Dispatches everything pending now; returns how many changes were marked dispatched.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var batch = await _outbox.GetUndispatchedAsync(_options.SweepBatchSize, cancellationToken);
            if (batch.Count == 0)
            {
                return total;
            }

            var webhooksByProject = new Dictionary<string, IReadOnlyList<Webhook>>(StringComparer.Ordinal);
            var done = new List<string>(batch.Count);
            try
            {
                foreach (var entry in batch)
                {
                    if (!webhooksByProject.TryGetValue(entry.ProjectId, out var webhooks))
                    {
                        webhooks = await _store.ListAsync(entry.ProjectId, cancellationToken);
                        webhooksByProject[entry.ProjectId] = webhooks;
                    }

                    foreach (var (eventType, details) in WebhookPayload.FromHistory(entry))
                    {
                        await _publisher.PublishAsync(webhooks, entry.ProjectId, eventType, entry.Id, details, entry.CreatedAt, cancellationToken);
                    }

                    done.Add(entry.Id);
                }
            }
            finally
            {
                // Whatever was fully enqueued is marked even when a later entry failed, so it is not re-sent needlessly.
                if (done.Count > 0)
                {
                    await _outbox.MarkDispatchedAsync(done, CancellationToken.None);
                }
            }

            total += done.Count;
            if (batch.Count < _options.SweepBatchSize)
            {
                return total;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var count = await SweepAsync(stoppingToken);
                if (count > 0)
                {
                    LogSwept(_logger, count);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The outbox keeps the changes; the next sweep retries them.
                LogSweepFailed(_logger, ex);
            }

            try
            {
                await Task.Delay(_options.SweepInterval, _timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dispatched webhook notifications for {Count} memory changes")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook outbox sweep failed; it will be retried")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
