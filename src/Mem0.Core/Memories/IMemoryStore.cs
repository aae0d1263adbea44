using Mem0.Core.Filters;
using Mem0.Core.Search;

namespace Mem0.Core.Memories;

/// <summary>
/// Where memories and their history live. One implementation per backend (in-memory, SQLite, Cosmos DB);
/// every implementation passes the store conformance suite in <c>tests/Mem0.Testing</c>.
/// Every call is scoped to one project: a store never returns another project's data.
/// </summary>
public interface IMemoryStore
{
    /// <summary>
    /// Applies adds, updates and deletes together with their history entries, all or nothing.
    /// Updates and deletes carry the <see cref="MemoryRecord.ETag"/> the caller read; a mismatch throws
    /// <see cref="Common.ConcurrencyConflictException"/> and writes nothing. A missing memory throws
    /// <see cref="Common.MemoryNotFoundException"/>.
    /// </summary>
    Task ApplyAsync(string projectId, MemoryChangeSet changes, CancellationToken cancellationToken = default);

    Task<MemoryRecord?> GetAsync(string projectId, string memoryId, CancellationToken cancellationToken = default);

    /// <summary>Returns the memories that exist among <paramref name="memoryIds"/>, in no particular order.</summary>
    Task<IReadOnlyList<MemoryRecord>> GetManyAsync(string projectId, IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken = default);

    /// <summary>Memories of exactly this scope whose hash is one of <paramref name="hashes"/>.</summary>
    Task<IReadOnlyList<MemoryRecord>> FindByHashAsync(string projectId, MemoryScope scope, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken = default);

    /// <summary>Newest first (created_at desc, then id), paged by an opaque continuation token.</summary>
    Task<MemoryPage> ListAsync(string projectId, MemoryListQuery query, CancellationToken cancellationToken = default);

    /// <summary>Number of memories matching the filter (expired ones excluded unless asked).</summary>
    Task<int> CountAsync(string projectId, FilterNode filter, bool includeExpired, DateOnly today, CancellationToken cancellationToken = default);

    /// <summary>
    /// The <see cref="MemorySearchQuery.TopK"/> nearest memories matching the filter, best first. With keyword search
    /// the order is the reciprocal-rank fusion of vector and keyword rank; the score is always the semantic one.
    /// </summary>
    Task<IReadOnlyList<ScoredMemory>> SearchAsync(string projectId, MemorySearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>History of one memory, oldest first. Still available after the memory is deleted.</summary>
    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string projectId, string memoryId, CancellationToken cancellationToken = default);

    /// <summary>Every user, agent, app and run that owns at least one memory, with counts.</summary>
    Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(string projectId, CancellationToken cancellationToken = default);
}

/// <summary>One atomic write: new memories, new states of existing ones, deletions, and the history describing them.</summary>
public sealed record MemoryChangeSet
{
    public IReadOnlyList<MemoryRecord> Added { get; init; } = [];

    /// <summary>New states; each carries the ETag of the state it replaces.</summary>
    public IReadOnlyList<MemoryRecord> Updated { get; init; } = [];

    /// <summary>Memories to delete; each carries the ETag last read (null = delete whatever is there).</summary>
    public IReadOnlyList<MemoryRecord> Deleted { get; init; } = [];

    public IReadOnlyList<HistoryEntry> History { get; init; } = [];

    public bool IsEmpty => Added.Count == 0 && Updated.Count == 0 && Deleted.Count == 0;
}

/// <summary>A page of a listing.</summary>
public sealed record MemoryListQuery
{
    public required FilterNode Filter { get; init; }

    public int PageSize { get; init; } = 100;

    /// <summary>Token from the previous page, or null for the first page.</summary>
    public string? ContinuationToken { get; init; }

    public bool IncludeExpired { get; init; }

    public required DateOnly Today { get; init; }
}

public sealed record MemoryPage(IReadOnlyList<MemoryRecord> Items, string? ContinuationToken);

public sealed record MemorySearchQuery
{
    public required FilterNode Filter { get; init; }

    /// <summary>L2-normalised query embedding.</summary>
    public required float[] Vector { get; init; }

    /// <summary>Only memories embedded with this model are candidates.</summary>
    public required string EmbeddingModel { get; init; }

    /// <summary>The query text, used for keyword (BM25 / full-text) ranking.</summary>
    public required string QueryText { get; init; }

    public int TopK { get; init; } = 10;

    /// <summary>The Mem0 <c>keyword_search</c> flag. Accepted for compatibility: the keyword leg is part of every search now.</summary>
    public bool KeywordSearch { get; init; }

    /// <summary>The rankings to fuse; every one by default (benchmarks switch them off to measure each).</summary>
    public SearchSignals Signals { get; init; } = SearchSignals.All;

    /// <summary>Fusion weights; null means <see cref="HybridRanking.DefaultWeights"/> (benchmarks tune with it).</summary>
    public RankingWeights? Weights { get; init; }

    public bool IncludeExpired { get; init; }

    public required DateOnly Today { get; init; }
}

/// <summary>A search hit. <see cref="Score"/> is the cosine similarity clamped to [0,1].</summary>
public sealed record ScoredMemory(MemoryRecord Memory, double Score);
