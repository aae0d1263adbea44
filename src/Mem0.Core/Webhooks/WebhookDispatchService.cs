using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Webhooks;

/// <summary>
/// The local server's dispatch loop: sweeps at start (changes a killed process left), then whenever a write signals,
/// and every <see cref="WebhookOptions.SweepInterval"/> for stragglers.
/// </summary>
public sealed partial class WebhookDispatchService : BackgroundService
{
    private static readonly TimeSpan FailureDelay = TimeSpan.FromSeconds(5);

    private readonly WebhookDispatcher _dispatcher;
    private readonly InProcessDispatchSignal _signal;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WebhookDispatchService> _logger;

    public WebhookDispatchService(
        WebhookDispatcher dispatcher,
        InProcessDispatchSignal signal,
        IOptions<WebhookOptions> options,
        TimeProvider timeProvider,
        ILogger<WebhookDispatchService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dispatcher = dispatcher;
        _signal = signal;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await _dispatcher.SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The outbox keeps the changes; the next sweep retries them.
                    LogSweepFailed(_logger, ex);
                    await Task.Delay(FailureDelay, _timeProvider, stoppingToken);
                    continue;
                }

                await _signal.WaitAsync(_options.SweepInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook outbox sweep failed; it will be retried")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
