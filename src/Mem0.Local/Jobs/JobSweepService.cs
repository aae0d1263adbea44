using Mem0.Core.Jobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Jobs;

/// <summary>
/// Every <c>Mem0:Jobs:SweepInterval</c>: ends the events of jobs whose orchestration ended without ending them
/// (<see cref="JobSweeper"/>), then purges the finished instances this process started from the in-memory task hub
/// (that backend has no purge by status, and their history would otherwise accumulate).
/// </summary>
public sealed partial class JobSweepService(
    DurableTaskClient client,
    JobSweeper sweeper,
    JobInstanceTracker tracker,
    IOptions<JobsOptions> options,
    TimeProvider timeProvider,
    ILogger<JobSweepService> logger) : BackgroundService
{
    /// <summary>One sweep then one purge; public so tests can run a tick without waiting for the timer.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await sweeper.SweepAsync(client, purgeFinished: false, cancellationToken);
        await JobHistory.PurgeTrackedAsync(client, tracker, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Sweeping jobs failed; will retry at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
