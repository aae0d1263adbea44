using Mem0.Azure.Cosmos;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Jobs;

/// <summary>
/// Once an hour (one instance across the app: the host's timer takes a blob lease), re-embeds up to
/// <see cref="CosmosReembedder.MaxPerRun"/> memories that another embedding model made, after the deployment changed.
/// On the job sweep's schedule, so it wakes an idle app no more often than that; when no memory is stale the run is one
/// cross-partition query that returns nothing.
/// </summary>
public sealed class ReembedMemoriesFunction(CosmosReembedder reembedder)
{
    public const string Name = "ReembedMemories";

    [Function(Name)]
    public Task<ReembedResult> ReembedMemories(
        [TimerTrigger(JobSweepFunction.Schedule)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        reembedder.RunAsync(cancellationToken);
}
