namespace Mem0.Core.Webhooks;

/// <summary>The event types a webhook can subscribe to, as the Mem0 Platform names them.</summary>
public static class WebhookEventTypes
{
    public const string MemoryAdd = "memory_add";
    public const string MemoryUpdate = "memory_update";
    public const string MemoryDelete = "memory_delete";
    public const string MemoryCategorize = "memory_categorize";
    public const string IngestJobCompleted = "ingest_job_completed";
    public const string IngestJobPartiallyCompleted = "ingest_job_partially_completed";
    public const string IngestJobFailed = "ingest_job_failed";
    public const string IngestJobCancelled = "ingest_job_cancelled";

    public static IReadOnlyList<string> All { get; } =
    [
        MemoryAdd,
        MemoryUpdate,
        MemoryDelete,
        MemoryCategorize,
        IngestJobCompleted,
        IngestJobPartiallyCompleted,
        IngestJobFailed,
        IngestJobCancelled,
    ];

    public static bool IsKnown(string eventType) => All.Contains(eventType, StringComparer.Ordinal);
}
