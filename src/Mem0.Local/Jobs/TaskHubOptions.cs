using System.ComponentModel.DataAnnotations;

namespace Mem0.Local.Jobs;

/// <summary>The local server's Azure Storage task hub (section <c>Mem0:Jobs</c>; used only when <c>AzureWebJobsStorage</c> is set).</summary>
public sealed class TaskHubOptions
{
    public const string SectionName = "Mem0:Jobs";

    /// <summary>
    /// Task hub name: the prefix of its queues, tables and lease container. Distinct from the Functions app's hub, so a
    /// local server and a Functions host on the same storage never take each other's work.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$", ErrorMessage = "TaskHub must be 3-45 letters or digits, starting with a letter.")]
    public string TaskHub { get; set; } = "Mem0Server";

    /// <summary>Control-queue partitions. One process owns them all; one is enough for a single server.</summary>
    [Range(1, 16)]
    public int PartitionCount { get; set; } = 1;

    /// <summary>
    /// Longest wait between queue polls when idle (the provider backs off up to this). Its default, 30 s, would let a job
    /// submitted after a quiet spell wait that long before it starts.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a queue message taken by a worker stays hidden from the others (renewed while its work runs). After a
    /// crash, the work the dead process had taken is picked up again once this passes: the provider's default of 5 minutes
    /// made a resumed job sit idle that long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:35", "00:10:00")]
    public TimeSpan MessageVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
