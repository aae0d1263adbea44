using Mem0.Core.Memories;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Jobs;

/// <summary>
/// Once an hour (one instance across the app: the host's timer takes a blob lease), re-embeds up to
/// <see cref="MaxPerRun"/> memories that another embedding model made, after the embedding deployment changed; the
/// next run carries on. On the job sweep's schedule, so it wakes an idle app no more often than that; when no memory
/// is stale a run is one cross-partition query that returns nothing.
/// </summary>
public sealed class ReembedMemoriesFunction(MemoryReembedder reembedder)
{
    public const string Name = "ReembedMemories";

    /// <summary>About 16 embedding calls and 1,000 document writes: well inside a timer invocation's budget.</summary>
    public const int MaxPerRun = 1000;

    [Function(Name)]
    public Task<ReembedResult> ReembedMemories(
        [TimerTrigger(JobSweepFunction.Schedule)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        reembedder.RunAsync(MaxPerRun, cancellationToken);
}
