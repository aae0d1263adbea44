using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Webhooks;

/// <summary>Drains the in-process queue, handing each message to the <see cref="WebhookDeliveryProcessor"/>.</summary>
public sealed partial class InProcessDeliveryWorker : BackgroundService
{
    private static readonly TimeSpan ProcessorFailureDelay = TimeSpan.FromSeconds(30);

    private readonly InProcessNotificationTransport _transport;
    private readonly WebhookDeliveryProcessor _processor;
    private readonly ILogger<InProcessDeliveryWorker> _logger;

    public InProcessDeliveryWorker(InProcessNotificationTransport transport, WebhookDeliveryProcessor processor, ILogger<InProcessDeliveryWorker> logger)
    {
        _transport = transport;
        _processor = processor;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in _transport.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await _processor.ProcessAsync(message, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The processor itself failed (e.g. the store): put the message back rather than lose it.
                    LogProcessorFailed(_logger, message.DeliveryId, ex);
                    await _transport.SendDelayedAsync(message, ProcessorFailureDelay, CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Processing webhook delivery {DeliveryId} failed; requeued")]
    private static partial void LogProcessorFailed(ILogger logger, string deliveryId, Exception exception);
}
