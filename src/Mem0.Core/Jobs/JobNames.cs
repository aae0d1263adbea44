namespace Mem0.Core.Jobs;

/// <summary>
/// Names of the orchestrations, activities and the entity, shared by the Functions wrappers and the local registry.
/// Wrappers are functions, never <c>TaskActivity</c> classes of the same name (that crashes the Durable analyzer).
/// </summary>
public static class JobNames
{
    public const string AddMemoriesJob = nameof(AddMemoriesJob);
    public const string ImportMemoriesJob = nameof(ImportMemoriesJob);
    public const string DeleteMemoriesJob = nameof(DeleteMemoriesJob);

    public const string StartJob = nameof(StartJob);
    public const string RunAdd = nameof(RunAdd);
    public const string ImportChunk = nameof(ImportChunk);
    public const string ReportImportProgress = nameof(ReportImportProgress);
    public const string CountDelete = nameof(CountDelete);
    public const string DeleteBatch = nameof(DeleteBatch);
    public const string ReportDeleteProgress = nameof(ReportDeleteProgress);
    public const string CompleteEvent = nameof(CompleteEvent);
    public const string DeletePayload = nameof(DeletePayload);

    /// <summary>The Durable entity whose critical section serializes adds of one scope (Functions host).</summary>
    public const string ScopeLock = nameof(ScopeLock);
}
