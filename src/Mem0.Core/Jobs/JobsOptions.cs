using System.ComponentModel.DataAnnotations;

namespace Mem0.Core.Jobs;

/// <summary>Tuning of the asynchronous jobs (section <c>Mem0:Jobs</c>).</summary>
public sealed class JobsOptions
{
    public const string SectionName = "Mem0:Jobs";

    /// <summary>
    /// Items per staged import chunk, i.e. per import activity (one embedding call, one change set). Every chunk costs
    /// a few activity dispatches (a few hundred ms on the local backend) on top of its work: 512 hides them behind the
    /// other chunk's embedding, where 256 left the local embedder idle a third of the time.
    /// </summary>
    [Range(1, 5000)]
    public int ImportBatchSize { get; set; } = 512;

    /// <summary>
    /// How many import chunks run at once (the fan-out window). Locally the embedder is CPU-bound: more than the cores
    /// oversubscribes them (4 on 2 cores ran at 59 % of the embedder's rate, 2 at 97 %). With a remote embedder
    /// (Azure OpenAI) and activities spread over workers, a higher value helps.
    /// </summary>
    [Range(1, 64)]
    public int ImportConcurrency { get; set; } = 2;

    /// <summary>Largest import accepted in one request.</summary>
    [Range(1, 10_000_000)]
    public int MaxImportItems { get; set; } = 100_000;

    /// <summary>Largest import body accepted, in bytes (the import route only; other routes keep the host's limit).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxImportBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Attempts per activity for transient failures (throttling, network), first one included.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubles on each further retry.</summary>
    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Failed import items listed on the event (the counts are always exact).</summary>
    [Range(0, 100_000)]
    public int MaxListedFailures { get; set; } = 1000;

    /// <summary>
    /// How long a PENDING or RUNNING event may go without an update before the sweeper checks its orchestration; it is
    /// marked FAILED only if that orchestration is gone or ended. Long enough that an event just recorded is never
    /// mistaken for one whose orchestration was lost before it was scheduled.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the local server sweeps orphaned events and purges finished instances (Functions: an hourly timer).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}
