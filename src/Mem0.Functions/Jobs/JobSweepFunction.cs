using Mem0.Core.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Mem0.Functions.Jobs;

/// <summary>
/// Once an hour (one instance across the app: the host's timer takes a blob lease): fails the events of jobs whose
/// orchestration ended without ending them, then purges the history of every finished instance from the task hub.
/// Hourly, not more often, because every run wakes a scaled-to-zero app: this timer is the only thing that starts an
/// idle deployment (README, idle cost). Nothing waits on it: an orphaned event is only marked FAILED later.
/// </summary>
public sealed class JobSweepFunction(JobSweeper sweeper)
{
    public const string Name = "SweepJobs";

    /// <summary>Minute 0 of every hour (six-field NCRONTAB).</summary>
    public const string Schedule = "0 0 * * * *";

    [Function(Name)]
    public Task<JobSweepResult> SweepJobs(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        sweeper.SweepAsync(client, purgeFinished: true, cancellationToken);
}
