using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Drains a pulling <see cref="IWebhookDeliveryQueue"/> with many deliveries in flight: at most
/// <see cref="WebhookOptions.MaxConcurrentDeliveries"/> in total and <see cref="WebhookOptions.MaxConcurrentDeliveriesPerWebhook"/>
/// per webhook, so a hanging receiver delays only its own deliveries. A message is completed only after the processor
/// has recorded its outcome (and queued any retry), so killing the process at any point loses nothing.
/// </summary>
public sealed partial class WebhookDeliveryWorker : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BusyWebhookDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProcessorFailureDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReceiveFailureDelay = TimeSpan.FromSeconds(5);

    private readonly IWebhookDeliveryQueue _queue;
    private readonly WebhookDeliveryProcessor _processor;
    private readonly WebhookConcurrencyLimiter _limiter;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WebhookDeliveryWorker> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _finished = new(0);
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public WebhookDeliveryWorker(
        IWebhookDeliveryQueue queue,
        WebhookDeliveryProcessor processor,
        WebhookConcurrencyLimiter limiter,
        IOptions<WebhookOptions> options,
        TimeProvider timeProvider,
        ILogger<WebhookDeliveryWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _queue = queue;
        _processor = processor;
        _limiter = limiter;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConcurrentDeliveries, _options.MaxConcurrentDeliveries);
    }

    /// <summary>Longer than one attempt can take, so a message is not handed out twice while it is being delivered.</summary>
    private TimeSpan Lease => _options.AttemptTimeout + TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _slots.WaitAsync(stoppingToken);
                var free = 1;
                while (free < 32 && _slots.Wait(0))
                {
                    free++;
                }

                IReadOnlyList<LeasedDelivery> batch;
                try
                {
                    batch = await _queue.ReceiveAsync(free, Lease, _limiter.BusyWebhooks(), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _slots.Release(free);
                    LogReceiveFailed(_logger, ex);
                    await Task.Delay(ReceiveFailureDelay, _timeProvider, stoppingToken);
                    continue;
                }

                if (free > batch.Count)
                {
                    _slots.Release(free - batch.Count);
                }

                if (batch.Count == 0)
                {
                    await WaitAsync(stoppingToken);
                    continue;
                }

                foreach (var delivery in batch)
                {
                    if (!_limiter.TryEnter(delivery.Message.WebhookId))
                    {
                        // This webhook already has its share in flight (a queue that cannot filter by webhook handed it out).
                        _slots.Release();
                        await ReleaseQuietlyAsync(delivery, BusyWebhookDelay);
                        continue;
                    }

                    var task = DeliverAsync(delivery, stoppingToken);
                    _running.TryAdd(task, 0);
                    _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Deliveries cut short by shutdown stay in the queue (not completed) and are received again after a restart.
        await Task.WhenAll(_running.Keys);
    }

    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var queueWait = _queue.WaitForMessagesAsync(IdleWait, _limiter.BusyWebhooks(), wake.Token);
        var slotFreed = _finished.WaitAsync(wake.Token);
        await Task.WhenAny(queueWait, slotFreed);
        await wake.CancelAsync();
        try
        {
            await Task.WhenAll(queueWait, slotFreed);
        }
        catch (OperationCanceledException)
        {
            // The branch that did not fire was cancelled.
        }
        catch (Exception ex)
        {
            // The queue could not say when work is due (e.g. the database is busy): wait the idle time instead.
            LogReceiveFailed(_logger, ex);
            await Task.Delay(ReceiveFailureDelay, _timeProvider, stoppingToken);
        }

        stoppingToken.ThrowIfCancellationRequested();
    }

    private async Task ReleaseQuietlyAsync(LeasedDelivery delivery, TimeSpan delay)
    {
        try
        {
            await _queue.ReleaseAsync(delivery, delay, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Not released: it reappears when its lease ends.
            LogProcessorFailed(_logger, delivery.Message.DeliveryId, ex);
        }
    }

    private async Task DeliverAsync(LeasedDelivery delivery, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await _processor.ProcessAsync(delivery.Message, stoppingToken);
            await _queue.CompleteAsync(delivery, CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the message stays in the queue.
        }
        catch (Exception ex)
        {
            // The processor itself failed (e.g. the store): the message goes back without counting an attempt.
            LogProcessorFailed(_logger, delivery.Message.DeliveryId, ex);
            await ReleaseQuietlyAsync(delivery, ProcessorFailureDelay);
        }
        finally
        {
            _limiter.Exit(delivery.Message.WebhookId);
            _slots.Release();
            if (_finished.CurrentCount == 0)
            {
                _finished.Release();
            }
        }
    }

    public override void Dispose()
    {
        _slots.Dispose();
        _finished.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Receiving webhook deliveries failed; retrying")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing webhook delivery {DeliveryId} failed; released for a later attempt")]
    private static partial void LogProcessorFailed(ILogger logger, string deliveryId, Exception exception);
}
