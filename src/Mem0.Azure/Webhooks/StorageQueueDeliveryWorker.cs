using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Azure.Webhooks;

/// <summary>Runs the <see cref="StorageQueueDeliveryPump"/> continuously, polling briefly when the queue is empty.</summary>
public sealed partial class StorageQueueDeliveryWorker : BackgroundService
{
    private static readonly TimeSpan IdleDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ErrorDelay = TimeSpan.FromSeconds(10);

    private readonly StorageQueueDeliveryPump _pump;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<StorageQueueDeliveryWorker> _logger;

    public StorageQueueDeliveryWorker(StorageQueueDeliveryPump pump, TimeProvider timeProvider, ILogger<StorageQueueDeliveryWorker> logger)
    {
        _pump = pump;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                delay = await _pump.ProcessBatchAsync(cancellationToken: stoppingToken) == 0 ? IdleDelay : TimeSpan.Zero;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPumpFailed(_logger, ex);
                delay = ErrorDelay;
            }

            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, _timeProvider, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Receiving webhook deliveries from the queue failed; retrying")]
    private static partial void LogPumpFailed(ILogger logger, Exception exception);
}
