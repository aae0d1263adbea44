using System.ComponentModel.DataAnnotations;

namespace Mem0.Core.Memories;

/// <summary>Tuning of the memory engine (section <c>Mem0:Engine</c>).</summary>
public sealed class MemoryEngineOptions
{
    public const string SectionName = "Mem0:Engine";

    /// <summary>How many nearest existing memories of the scope the extractor sees on an add.</summary>
    [Range(1, 100)]
    public int RetrievalTopK { get; set; } = 10;

    /// <summary>Heuristic extractor: a sentence at least this similar to an existing memory (or an earlier sentence) is a duplicate.</summary>
    [Range(0.0, 1.0)]
    public double DuplicateSimilarity { get; set; } = 0.9;

    /// <summary>Largest batch update / batch delete accepted.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Memories deleted per change set by delete-all and entity delete.</summary>
    [Range(1, 1000)]
    public int DeleteBatchSize { get; set; } = 100;

    /// <summary>
    /// A scope delete (<c>DELETE /v1/memories/?…</c>, entity delete) of at most this many memories is done before the
    /// answer; a larger one runs as a job, its memories hidden from reads from the moment it is accepted. 0 = always a job.
    /// </summary>
    [Range(0, 100_000)]
    public int SyncDeleteLimit { get; set; } = 500;
}
