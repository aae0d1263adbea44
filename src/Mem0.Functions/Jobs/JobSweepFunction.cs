using Mem0.Core.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Mem0.Functions.Jobs;

/// <summary>
/// Every five minutes (one instance across the app: the host's timer takes a blob lease): fails the events of jobs
/// whose orchestration ended without ending them, then purges the history of every finished instance from the task hub.
/// </summary>
public sealed class JobSweepFunction(JobSweeper sweeper)
{
    public const string Name = "SweepJobs";

    /// <summary>Second 0 of every fifth minute (six-field NCRONTAB).</summary>
    public const string Schedule = "0 */5 * * * *";

    [Function(Name)]
    public Task<JobSweepResult> SweepJobs(
        [TimerTrigger(Schedule)] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        sweeper.SweepAsync(client, purgeFinished: true, cancellationToken);
}
