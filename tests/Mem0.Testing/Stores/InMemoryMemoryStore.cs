using System.Globalization;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;

namespace Mem0.Testing.Stores;

/// <summary>
/// A thread-safe, zero-dependency <see cref="IMemoryStore"/> kept in process memory: the test fake for every
/// suite (no host uses it). Vector search is an exact scan; keyword search is BM25 over the
/// filtered candidates fused with the vector ranking by reciprocal rank.
/// </summary>
public sealed class InMemoryMemoryStore : IMemoryStore, IMemoryChangeOutbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Project, string Id), MemoryRecord> _memories = [];
    private readonly List<HistoryEntry> _history = [];
    private readonly List<HistoryEntry> _undispatched = [];
    private long _version;

    public Task ApplyAsync(string projectId, MemoryChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            // Check everything first so a failed change set writes nothing.
            foreach (var added in changes.Added)
            {
                if (_memories.ContainsKey((projectId, added.Id)))
                {
                    throw new ConcurrencyConflictException($"Memory {added.Id} already exists.");
                }
            }

            foreach (var changed in changes.Updated.Concat(changes.Deleted))
            {
                if (!_memories.TryGetValue((projectId, changed.Id), out var current))
                {
                    throw new MemoryNotFoundException($"Memory {changed.Id} not found!");
                }

                if (changed.ETag is not null && changed.ETag != current.ETag)
                {
                    throw new ConcurrencyConflictException($"Memory {changed.Id} was changed by another request.");
                }
            }

            foreach (var record in changes.Added.Concat(changes.Updated))
            {
                _memories[(projectId, record.Id)] = record with { ProjectId = projectId, ETag = NextETag() };
            }

            foreach (var record in changes.Deleted)
            {
                _memories.Remove((projectId, record.Id));
            }

            var history = changes.History.Select(h => h with { ProjectId = projectId }).ToList();
            _history.AddRange(history);
            // The outbox: written under the same lock as the change, so both happen or neither does.
            _undispatched.AddRange(history);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<HistoryEntry>> GetUndispatchedAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<HistoryEntry> pending = _undispatched.Take(maxCount).ToList();
            return Task.FromResult(pending);
        }
    }

    public Task MarkDispatchedAsync(IReadOnlyCollection<string> historyEntryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(historyEntryIds);
        var ids = historyEntryIds.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            _undispatched.RemoveAll(h => ids.Contains(h.Id));
        }

        return Task.CompletedTask;
    }

    public Task<MemoryRecord?> GetAsync(string projectId, string memoryId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_memories.GetValueOrDefault((projectId, memoryId)));
        }
    }

    public Task<IReadOnlyList<MemoryRecord>> GetManyAsync(string projectId, IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryIds);
        lock (_gate)
        {
            IReadOnlyList<MemoryRecord> found = memoryIds.Distinct(StringComparer.Ordinal)
                .Select(id => _memories.GetValueOrDefault((projectId, id)))
                .OfType<MemoryRecord>()
                .ToList();
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<MemoryRecord>> FindByHashAsync(string projectId, MemoryScope scope, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var wanted = hashes.ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<MemoryRecord> found = Snapshot(projectId).Where(m => m.Scope == scope && wanted.Contains(m.Hash)).ToList();
        return Task.FromResult(found);
    }

    public Task<MemoryPage> ListAsync(string projectId, MemoryListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var offset = query.ContinuationToken is null ? 0 : ParseToken(query.ContinuationToken);
        var matching = Matching(projectId, query.Filter, query.IncludeExpired, query.Today)
            .OrderByDescending(m => m.CreatedAt)
            .ThenByDescending(m => m.Id, StringComparer.Ordinal)
            .ToList();
        var items = matching.Skip(offset).Take(query.PageSize).ToList();
        var next = offset + items.Count < matching.Count ? (offset + items.Count).ToString(CultureInfo.InvariantCulture) : null;
        return Task.FromResult(new MemoryPage(items, next));
    }

    public Task<int> CountAsync(string projectId, FilterNode filter, bool includeExpired, DateOnly today, CancellationToken cancellationToken = default) =>
        Task.FromResult(Matching(projectId, filter, includeExpired, today).Count());

    public Task<IReadOnlyList<ScoredMemory>> SearchAsync(string projectId, MemorySearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var candidates = Matching(projectId, query.Filter, query.IncludeExpired, query.Today)
            .Where(m => m.EmbeddingModel == query.EmbeddingModel && m.Embedding.Length == query.Vector.Length)
            .Select(m => new ScoredMemory(m, VectorMath.Score(m.Embedding, query.Vector)))
            .OrderByDescending(s => s.Score)
            .ThenBy(s => s.Memory.Id, StringComparer.Ordinal)
            .ToList();
        if (query.Signals == SearchSignals.Vector || candidates.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<ScoredMemory>>(candidates.Take(query.TopK).ToList());
        }

        // The same fusion as the real stores, over every candidate (this store holds little).
        var hits = candidates
            .Select(c => (Memory: c.Memory.Entities.Count > 0 ? c.Memory : c.Memory with { Entities = EntityExtractor.FromStoredText(c.Memory.Text) }, Score: (float)c.Score))
            .ToList();
        var features = QueryFeatures.From(query.QueryText, query.Today);
        var bm25 = new Bm25();
        foreach (var hit in hits)
        {
            bm25.Add(hit.Memory.Text);
        }

        var keywordHits = bm25.Rank(string.Join(' ', features.Terms)).Select(i => hits[i]).ToList();
        var vectorHits = hits.Take(HybridRanking.CandidateDepth(query.TopK)).ToList();
        return Task.FromResult(HybridRanking.Fuse(vectorHits, keywordHits, features, query.Signals, query.TopK, query.Weights));
    }

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string projectId, string memoryId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<HistoryEntry> entries = _history.Where(h => h.ProjectId == projectId && h.MemoryId == memoryId).ToList();
            return Task.FromResult(entries);
        }
    }

    public Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var owners = Snapshot(projectId).SelectMany(m => Owners(m).Select(owner => (owner.Type, owner.Name, Memory: m)));
        IReadOnlyList<EntitySummary> entities = owners
            .GroupBy(o => (o.Type, o.Name))
            .Select(g => new EntitySummary(g.Key.Type, g.Key.Name, g.Count(), g.Min(o => o.Memory.CreatedAt), g.Max(o => o.Memory.UpdatedAt)))
            .OrderBy(e => e.Type)
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(entities);
    }

    private static IEnumerable<(EntityType Type, string Name)> Owners(MemoryRecord memory)
    {
        if (memory.Scope.UserId is { } user)
        {
            yield return (EntityType.User, user);
        }

        if (memory.Scope.AgentId is { } agent)
        {
            yield return (EntityType.Agent, agent);
        }

        if (memory.Scope.AppId is { } app)
        {
            yield return (EntityType.App, app);
        }

        if (memory.Scope.RunId is { } run)
        {
            yield return (EntityType.Run, run);
        }
    }

    private IEnumerable<MemoryRecord> Matching(string projectId, FilterNode filter, bool includeExpired, DateOnly today) =>
        Snapshot(projectId).Where(m => (includeExpired || !m.IsExpired(today)) && FilterEvaluator.Matches(filter, m));

    private List<MemoryRecord> Snapshot(string projectId)
    {
        lock (_gate)
        {
            return _memories.Where(pair => pair.Key.Project == projectId).Select(pair => pair.Value).ToList();
        }
    }

    private string NextETag() => (++_version).ToString(CultureInfo.InvariantCulture);

    private static int ParseToken(string token) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new ValidationException("continuation_token", "The continuation token is not valid.");
}
