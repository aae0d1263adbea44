using Mem0.Core.Jobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Jobs;

/// <summary>
/// Every <c>Mem0:Jobs:SweepInterval</c>: ends the events of jobs whose orchestration ended without ending them
/// (<see cref="JobSweeper"/>). On the durable backend it also purges finished instances; in memory,
/// <see cref="SequentialJobStarter"/> purges each one as it ends.
/// </summary>
public sealed partial class JobSweepService(
    DurableTaskClient client,
    JobSweeper sweeper,
    LocalJobBackend backend,
    IOptions<JobsOptions> options,
    TimeProvider timeProvider,
    ILogger<JobSweepService> logger) : BackgroundService
{
    /// <summary>One sweep; public so tests can run a tick without waiting for the timer.</summary>
    public Task<JobSweepResult> RunOnceAsync(CancellationToken cancellationToken) =>
        sweeper.SweepAsync(client, purgeFinished: backend.Durable, cleanEntities: false, cancellationToken);

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
