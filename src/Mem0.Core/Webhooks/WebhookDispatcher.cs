using Mem0.Core.Memories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Sweeps the outbox: turns each committed change not yet dispatched into one message per subscribed webhook,
/// enqueues them, then marks the change dispatched. A crash between the two re-enqueues the same delivery ids on
/// the next sweep (at-least-once); the processor and receivers de-duplicate by delivery id. What runs a sweep is the
/// host's: <see cref="WebhookDispatchService"/> locally, a queue trigger plus a straggler timer in the Functions app.
/// </summary>
public sealed partial class WebhookDispatcher
{
    private readonly IMemoryChangeOutbox _outbox;
    private readonly IWebhookStore _store;
    private readonly WebhookPublisher _publisher;
    private readonly INotificationTransport _transport;
    private readonly WebhookOptions _options;
    private readonly ILogger<WebhookDispatcher> _logger;

    private const int Idle = 0;
    private const int Running = 1;
    private const int RunAgain = 2;
    private int _sweepState;

    public WebhookDispatcher(
        IMemoryChangeOutbox outbox,
        IWebhookStore store,
        WebhookPublisher publisher,
        INotificationTransport transport,
        IOptions<WebhookOptions> options,
        ILogger<WebhookDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _store = store;
        _publisher = publisher;
        _transport = transport;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// For signals: when a sweep already runs in this process, asks it to run once more (it will see this signal's
    /// change) and returns 0 at once; otherwise sweeps until no signal arrived meanwhile. A burst of writes then costs
    /// a few outbox queries per instance instead of one per write.
    /// </summary>
    public async Task<int> SweepCoalescedAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var state = Volatile.Read(ref _sweepState);
            if (state == Idle && Interlocked.CompareExchange(ref _sweepState, Running, Idle) == Idle)
            {
                break;
            }

            if (state == Running && Interlocked.CompareExchange(ref _sweepState, RunAgain, Running) == Running)
            {
                return 0;
            }

            if (state == RunAgain)
            {
                return 0;
            }
        }

        var total = 0;
        try
        {
            do
            {
                Volatile.Write(ref _sweepState, Running);
                total += await SweepAsync(cancellationToken);
            }
            while (Interlocked.CompareExchange(ref _sweepState, Idle, Running) != Running);
        }
        catch
        {
            // A failed sweep leaves the changes in the outbox for the next signal or the straggler sweep.
            Volatile.Write(ref _sweepState, Idle);
            throw;
        }

        return total;
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
                break;
            }

            var webhooksByProject = new Dictionary<string, IReadOnlyList<Webhook>>(StringComparer.Ordinal);
            var messages = new List<WebhookDeliveryMessage>();
            foreach (var entry in batch)
            {
                if (!webhooksByProject.TryGetValue(entry.ProjectId, out var webhooks))
                {
                    webhooks = await _store.ListAsync(entry.ProjectId, cancellationToken);
                    webhooksByProject[entry.ProjectId] = webhooks;
                }

                foreach (var (eventType, details) in WebhookPayload.FromHistory(entry))
                {
                    var change = new WebhookEvent(eventType, entry.Id, details, entry.CreatedAt, entry.CreatedAt.UtcTicks);
                    await _publisher.CollectAsync(webhooks, entry.ProjectId, change, messages, cancellationToken);
                }
            }

            // Enqueued first, marked second: a crash in between sends the same delivery ids again, never none.
            await _transport.SendManyAsync(messages, cancellationToken);
            await _outbox.MarkDispatchedAsync([.. batch.Select(e => e.Id)], CancellationToken.None);
            total += batch.Count;
            if (batch.Count < _options.SweepBatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogSwept(_logger, total);
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dispatched webhook notifications for {Count} memory changes")]
    private static partial void LogSwept(ILogger logger, int count);
}
