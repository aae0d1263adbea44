using Mem0.Core.Jobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Local.Jobs;

/// <summary>Purges the instances of finished jobs from the in-memory task hub every minute (their history would otherwise accumulate).</summary>
public sealed partial class FinishedJobPurger(
    DurableTaskClient client,
    JobInstanceTracker tracker,
    TimeProvider timeProvider,
    ILogger<FinishedJobPurger> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await JobHistory.PurgeTrackedAsync(client, tracker, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPurgeFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Purging finished job instances failed; will retry")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
