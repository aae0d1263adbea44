using System.Numerics.Tensors;
using Mem0.Core.Filters;
using Mem0.Core.Memories;

namespace Mem0.Local.Storage;

/// <summary>
/// The in-memory search index of one project, partitioned by scope (the exact user/agent/app/run tuple, as the Cosmos
/// layout keeps one user's memories in one partition). A search scans only the partitions its filter can match, so a
/// scoped search costs what its scope holds, not what the project holds; a filter the index cannot narrow (metadata
/// only, NOT, ...) scans every partition and stays correct. Each partition keeps its vectors in chunked slabs
/// (<see cref="ChunkedSlab"/>) and its memories (without embeddings) in the same rows.
/// <para>
/// Partitions are loaded lazily: the store registers every scope of the project with its memory count (the
/// catalogue), a search reports the partitions it needs that are not resident, and the store loads them from SQLite
/// (the source of truth) and searches again. Resident memory is kept under a byte budget by unloading the least
/// recently used partitions. An index made without a catalogue (tests) treats every partition as resident.
/// </para>
/// </summary>
internal sealed class VectorIndex
{
    /// <summary>Estimated bytes of a memory record besides its text, ids and metadata (object headers, fields, dates).</summary>
    private const int RecordOverheadBytes = 800;

    /// <summary>Until something is resident, the load planner assumes this per memory (384 dims and a short text).</summary>
    private const long DefaultBytesPerMemory = 3200;

    private readonly Dictionary<MemoryScope, ScopePartition> _partitions = [];
    private readonly Dictionary<(FilterFieldKind Kind, string Value), List<ScopePartition>> _partitionsByScopeId = [];
    private readonly Dictionary<string, ScopePartition> _residentById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _interned = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new();
    private long _residentBytes;
    private long _clock;

    /// <param name="budgetBytes">Resident bytes above which cold partitions are unloaded (estimated, see README).</param>
    public VectorIndex(long budgetBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budgetBytes);
        BudgetBytes = budgetBytes;
    }

    public long BudgetBytes { get; }

    /// <summary>Resident memories.</summary>
    public int Count => Read(() => _residentById.Count);

    /// <summary>Estimated bytes held by resident partitions.</summary>
    public long ResidentBytes => Read(() => _residentBytes);

    /// <summary>Known scopes (resident or not).</summary>
    public int PartitionCount => Read(() => _partitions.Count);

    public int ResidentPartitionCount => Read(() => _partitions.Values.Count(p => p.Loaded));

    /// <summary>How many partitions were unloaded to keep within the budget since the index was made.</summary>
    public long Evictions { get; private set; }

    /// <summary>Records a scope of the catalogue that exists in storage and is not resident yet.</summary>
    public void Register(MemoryScope scope, int count)
    {
        ArgumentNullException.ThrowIfNull(scope);
        _lock.EnterWriteLock();
        try
        {
            if (!_partitions.ContainsKey(scope))
            {
                AddPartition(scope, loaded: false).EstimatedCount = count;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Adds or replaces memories and removes ids, atomically with respect to searches. A write to a scope that is not
    /// resident is left to storage (the partition reads it when it loads); a scope never seen before is new, so its
    /// partition is complete and resident from its first memory.
    /// </summary>
    public void Apply(IEnumerable<MemoryRecord> upserts, IEnumerable<string> removals)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(removals);
        _lock.EnterWriteLock();
        try
        {
            foreach (var id in removals)
            {
                RemoveResident(id);
            }

            foreach (var memory in upserts)
            {
                if (!_partitions.TryGetValue(memory.Scope, out var partition))
                {
                    partition = AddPartition(memory.Scope, loaded: true);
                }

                if (partition.Loaded)
                {
                    UpsertResident(partition, memory);
                    partition.LastUsed = ++_clock;
                }
                else
                {
                    // Its old partition (if resident) must not keep a stale copy under the old scope.
                    RemoveResident(memory.Id);
                }
            }

            EvictOverBudgetCore();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Scores the vectors of <paramref name="model"/> in the partitions <paramref name="filter"/> can match (or only in
    /// <paramref name="only"/>) and returns the best <paramref name="limit"/> memories that pass the filter, best first.
    /// Partitions the search needs that are not resident are added to <paramref name="missing"/> and left out.
    /// </summary>
    public List<(MemoryRecord Memory, float Score)> Search(
        float[] query,
        string model,
        FilterNode filter,
        int limit,
        DateOnly? today,
        ICollection<MemoryScope>? missing = null,
        IReadOnlyCollection<MemoryScope>? only = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filter);
        _lock.EnterReadLock();
        try
        {
            if (limit <= 0)
            {
                return [];
            }

            var slabs = new List<ChunkedSlab>();
            foreach (var partition in only is null ? Candidates(filter) : Resolve(only))
            {
                if (!partition.Loaded)
                {
                    missing?.Add(partition.Scope);
                    continue;
                }

                partition.LastUsed = Interlocked.Increment(ref _clock);
                if (partition.Slab(model) is { } slab && slab.Dimensions == query.Length && slab.Count > 0)
                {
                    slabs.Add(slab);
                }
            }

            return slabs.Count == 0 ? [] : Scan(slabs, query, filter, limit, today);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// The semantic score and filter verdict of particular memories (keyword hits outside the vector list). Ids that
    /// are not resident are added to <paramref name="notResident"/> for the caller to score from storage.
    /// </summary>
    public List<(MemoryRecord Memory, float Score)> ScoreIds(
        float[] query, string model, FilterNode filter, IEnumerable<string> ids, DateOnly? today, ICollection<string>? notResident = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(ids);
        _lock.EnterReadLock();
        try
        {
            var result = new List<(MemoryRecord, float)>();
            foreach (var id in ids)
            {
                if (!_residentById.TryGetValue(id, out var partition))
                {
                    notResident?.Add(id);
                    continue;
                }

                if (partition.Slab(model) is not { } slab || slab.Dimensions != query.Length || !slab.TryGetSlot(id, out var slot))
                {
                    continue;
                }

                var memory = slab.MemoryAt(slot);
                if ((today is { } day && memory.IsExpired(day)) || !FilterEvaluator.Matches(filter, memory))
                {
                    continue;
                }

                result.Add((WithEmbedding(slab, slot), TensorPrimitives.Dot(slab.VectorAt(slot), query)));
            }

            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// For each anchor, the up to <paramref name="perSide"/> memories stored just before and just after it in its own
    /// partition (the same exact scope), ordered by <c>created_at</c> then id, at most <paramref name="maxGap"/> away in
    /// time, that pass the filter and expiry, each with its semantic score. Anchors that are not resident have none: a
    /// neighbour is a hint, not worth a read from storage. One pass over each anchor's partition.
    /// </summary>
    public List<(string AnchorId, MemoryRecord Memory, float Score)> Neighbours(
        float[] query, string model, FilterNode filter, IReadOnlyList<string> anchorIds, int perSide, TimeSpan maxGap, DateOnly? today)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(anchorIds);
        var result = new List<(string, MemoryRecord, float)>();
        if (perSide <= 0)
        {
            return result;
        }

        _lock.EnterReadLock();
        try
        {
            var matchAll = filter is AndFilter { Children.Count: 0 };
            var bySlab = new Dictionary<ChunkedSlab, List<MemoryRecord>>();
            foreach (var id in anchorIds)
            {
                if (_residentById.TryGetValue(id, out var partition)
                    && partition.Slab(model) is { } slab && slab.Dimensions == query.Length && slab.TryGetSlot(id, out var slot))
                {
                    if (!bySlab.TryGetValue(slab, out var anchors))
                    {
                        anchors = [];
                        bySlab.Add(slab, anchors);
                    }

                    anchors.Add(slab.MemoryAt(slot));
                }
            }

            foreach (var (slab, anchors) in bySlab)
            {
                var before = anchors.Select(_ => new List<int>(perSide + 1)).ToArray();
                var after = anchors.Select(_ => new List<int>(perSide + 1)).ToArray();
                for (var slot = 0; slot < slab.Count; slot++)
                {
                    var memory = slab.MemoryAt(slot);
                    for (var a = 0; a < anchors.Count; a++)
                    {
                        var anchor = anchors[a];
                        var order = CompareTime(memory, anchor);
                        if (order == 0 || (memory.CreatedAt - anchor.CreatedAt).Duration() > maxGap)
                        {
                            continue;
                        }

                        // before: the latest ones earlier than the anchor; after: the earliest ones later.
                        var list = order < 0 ? before[a] : after[a];
                        var sign = order < 0 ? -1 : 1;
                        if (list.Count == perSide && sign * CompareTime(memory, slab.MemoryAt(list[^1])) >= 0)
                        {
                            continue;
                        }

                        if (!Passes(memory, filter, matchAll, today))
                        {
                            continue;
                        }

                        var at = list.FindIndex(other => sign * CompareTime(memory, slab.MemoryAt(other)) < 0);
                        list.Insert(at < 0 ? list.Count : at, slot);
                        if (list.Count > perSide)
                        {
                            list.RemoveAt(list.Count - 1);
                        }
                    }
                }

                for (var a = 0; a < anchors.Count; a++)
                {
                    foreach (var slot in before[a].Concat(after[a]))
                    {
                        result.Add((anchors[a].Id, WithEmbedding(slab, slot), TensorPrimitives.Dot(slab.VectorAt(slot), query)));
                    }
                }
            }

            return result;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static int CompareTime(MemoryRecord x, MemoryRecord y)
    {
        var time = x.CreatedAt.CompareTo(y.CreatedAt);
        return time != 0 ? time : string.CompareOrdinal(x.Id, y.Id);
    }

    /// <summary>Splits scopes to load into batches that each fit the budget (a scope larger than the budget is a batch of its own).</summary>
    public List<List<MemoryScope>> PlanLoad(IEnumerable<MemoryScope> scopes, long? maxBatchBytes = null)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var limit = maxBatchBytes ?? BudgetBytes;
        _lock.EnterReadLock();
        try
        {
            var batches = new List<List<MemoryScope>>();
            var current = new List<MemoryScope>();
            long currentBytes = 0;
            foreach (var scope in scopes.Distinct())
            {
                var estimate = EstimateCore(scope);
                if (current.Count > 0 && currentBytes + estimate > limit)
                {
                    batches.Add(current);
                    current = [];
                    currentBytes = 0;
                }

                current.Add(scope);
                currentBytes += estimate;
            }

            if (current.Count > 0)
            {
                batches.Add(current);
            }

            return batches;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Estimated bytes the scopes will take once resident (from their catalogue counts).</summary>
    public long EstimateBytes(IEnumerable<MemoryScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return Read(() => scopes.Sum(EstimateCore));
    }

    /// <summary>True when the scope is known and not resident (so its rows should be read from storage).</summary>
    public bool NeedsLoad(MemoryScope scope) =>
        Read(() => _partitions.TryGetValue(scope, out var partition) && !partition.Loaded);

    /// <summary>Fills partitions being loaded with rows read from storage; rows of other scopes are ignored.</summary>
    public void LoadRows(IReadOnlySet<MemoryScope> loading, IEnumerable<MemoryRecord> rows)
    {
        ArgumentNullException.ThrowIfNull(loading);
        ArgumentNullException.ThrowIfNull(rows);
        _lock.EnterWriteLock();
        try
        {
            foreach (var memory in rows)
            {
                if (loading.Contains(memory.Scope) && _partitions.TryGetValue(memory.Scope, out var partition) && !partition.Loaded)
                {
                    UpsertResident(partition, memory);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Marks partitions filled by <see cref="LoadRows"/> as resident and searchable.</summary>
    public void CompleteLoad(IEnumerable<MemoryScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        _lock.EnterWriteLock();
        try
        {
            foreach (var scope in scopes)
            {
                if (_partitions.TryGetValue(scope, out var partition) && !partition.Loaded)
                {
                    partition.Loaded = true;
                    partition.EstimatedCount = partition.Count;
                    partition.LastUsed = ++_clock;
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Drops what a failed load put into partitions that never became resident.</summary>
    public void AbortLoad(IEnumerable<MemoryScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        _lock.EnterWriteLock();
        try
        {
            foreach (var scope in scopes)
            {
                if (_partitions.TryGetValue(scope, out var partition) && !partition.Loaded)
                {
                    Unload(partition);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Unloads least recently used partitions until the resident estimate is within the budget.</summary>
    public void EvictOverBudget()
    {
        _lock.EnterWriteLock();
        try
        {
            EvictOverBudgetCore();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The best <paramref name="limit"/> of two hit lists over disjoint partitions.</summary>
    public static List<(MemoryRecord Memory, float Score)> Merge(
        List<(MemoryRecord Memory, float Score)> first, List<(MemoryRecord Memory, float Score)> second, int limit)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (second.Count == 0)
        {
            return first;
        }

        return first.Concat(second).OrderByDescending(hit => hit.Score).Take(limit).ToList();
    }

    /// <summary>Enough int8 candidates that quantization error cannot push a true top-k hit out.</summary>
    private static int CandidateCount(int limit) => Math.Max(limit * 8, 128);

    /// <summary>
    /// Two passes: an int8 scan keeps the best <see cref="CandidateCount"/> filtered candidates by approximate score,
    /// then those are rescored exactly in float32. The filter and expiry run only on memories that would enter the
    /// candidate heap, so a broad filter adds almost nothing to the scan. When the slabs hold no more rows than the
    /// candidate list, the int8 pass would keep them all: they are scored exactly at once.
    /// </summary>
    private static List<(MemoryRecord Memory, float Score)> Scan(
        List<ChunkedSlab> slabs, float[] query, FilterNode filter, int limit, DateOnly? today)
    {
        var candidateCount = CandidateCount(limit);
        var matchAll = filter is AndFilter { Children.Count: 0 };
        var total = 0L;
        foreach (var slab in slabs)
        {
            total += slab.Count;
        }

        var quantizedQuery = new sbyte[query.Length];
        if (total <= candidateCount || Int8Vectors.Quantize(query, quantizedQuery) == 0f)
        {
            return ExactScan(slabs, query, filter, matchAll, limit, today);
        }

        var dimensions = query.Length;
        var heap = new PriorityQueue<(int Slab, int Slot), float>(candidateCount + 1);
        var threshold = float.NegativeInfinity;
        for (var s = 0; s < slabs.Count; s++)
        {
            var slab = slabs[s];
            for (var c = 0; c < slab.ChunkCount; c++)
            {
                var (quantized, factors, rows) = slab.QuantizedChunk(c);
                var span = quantized.AsSpan();
                var firstSlot = c << ChunkedSlab.ChunkShift;
                for (var row = 0; row < rows; row++)
                {
                    // The query's own factor is the same for every row, so it is left out of the ranking score.
                    var approximate = Int8Vectors.Dot(span.Slice(ChunkedSlab.VectorOffset(row, dimensions), dimensions), quantizedQuery) * factors[row];
                    if (heap.Count == candidateCount && approximate <= threshold)
                    {
                        continue;
                    }

                    if (!Passes(slab.MemoryAt(firstSlot + row), filter, matchAll, today))
                    {
                        continue;
                    }

                    Push(heap, candidateCount, (s, firstSlot + row), approximate, ref threshold);
                }
            }
        }

        var exact = new List<(int Slab, int Slot, float Score)>(heap.Count);
        while (heap.TryDequeue(out var hit, out _))
        {
            exact.Add((hit.Slab, hit.Slot, TensorPrimitives.Dot(slabs[hit.Slab].VectorAt(hit.Slot), query)));
        }

        return exact
            .OrderByDescending(hit => hit.Score)
            .ThenBy(hit => hit.Slab)
            .ThenBy(hit => hit.Slot)
            .Take(limit)
            .Select(hit => (WithEmbedding(slabs[hit.Slab], hit.Slot), hit.Score))
            .ToList();
    }

    private static List<(MemoryRecord Memory, float Score)> ExactScan(
        List<ChunkedSlab> slabs, float[] query, FilterNode filter, bool matchAll, int limit, DateOnly? today)
    {
        var heap = new PriorityQueue<(int Slab, int Slot), float>(limit + 1);
        var threshold = float.NegativeInfinity;
        for (var s = 0; s < slabs.Count; s++)
        {
            var slab = slabs[s];
            for (var slot = 0; slot < slab.Count; slot++)
            {
                var score = TensorPrimitives.Dot(slab.VectorAt(slot), query);
                if ((heap.Count == limit && score <= threshold) || !Passes(slab.MemoryAt(slot), filter, matchAll, today))
                {
                    continue;
                }

                Push(heap, limit, (s, slot), score, ref threshold);
            }
        }

        var result = new List<(MemoryRecord, float)>(heap.Count);
        while (heap.TryDequeue(out var hit, out var score))
        {
            result.Add((WithEmbedding(slabs[hit.Slab], hit.Slot), score));
        }

        result.Reverse();
        return result;
    }

    private static bool Passes(MemoryRecord memory, FilterNode filter, bool matchAll, DateOnly? today) =>
        (today is not { } day || !memory.IsExpired(day)) && (matchAll || FilterEvaluator.Matches(filter, memory));

    private static void Push(PriorityQueue<(int Slab, int Slot), float> heap, int capacity, (int Slab, int Slot) item, float score, ref float threshold)
    {
        if (heap.Count == capacity)
        {
            heap.DequeueEnqueue(item, score);
        }
        else
        {
            heap.Enqueue(item, score);
        }

        if (heap.Count == capacity)
        {
            heap.TryPeek(out _, out threshold);
        }
    }

    private static MemoryRecord WithEmbedding(ChunkedSlab slab, int slot) =>
        slab.MemoryAt(slot) with { Embedding = slab.VectorAt(slot).ToArray() };

    /// <summary>
    /// The partitions a filter can match: an <c>eq</c> / <c>in</c> on a scope id selects the partitions holding that id;
    /// an AND takes its narrowest member, an OR the union of its branches. Anything else may match any partition.
    /// </summary>
    private IEnumerable<ScopePartition> Candidates(FilterNode filter) =>
        Narrow(filter) ?? (IEnumerable<ScopePartition>)_partitions.Values;

    private IReadOnlyCollection<ScopePartition>? Narrow(FilterNode node)
    {
        switch (node)
        {
            case ConditionFilter { Field.IsScopeId: true, Operator: FilterOperator.Eq, Value: StringValue value } condition:
                return Lookup(condition.Field.Kind, value.Value);
            case ConditionFilter { Field.IsScopeId: true, Operator: FilterOperator.In, Value: ListValue list } condition:
                // Non-string items never equal a scope id, so only the strings select partitions.
                var union = new HashSet<ScopePartition>();
                foreach (var item in list.Items)
                {
                    if (item is StringValue text)
                    {
                        union.UnionWith(Lookup(condition.Field.Kind, text.Value));
                    }
                }

                return union;
            case AndFilter and:
                IReadOnlyCollection<ScopePartition>? narrowest = null;
                foreach (var child in and.Children)
                {
                    if (Narrow(child) is { } narrowed && (narrowest is null || narrowed.Count < narrowest.Count))
                    {
                        narrowest = narrowed;
                    }
                }

                // The other members' plain scope conditions trim the narrowest set further (user AND agent → one scope).
                return narrowest is null || and.Children.Count < 2
                    ? narrowest
                    : narrowest.Where(partition => and.Children.All(child => CouldMatch(child, partition.Scope))).ToList();
            case OrFilter { Children.Count: > 0 } or:
                var branches = new HashSet<ScopePartition>();
                foreach (var child in or.Children)
                {
                    if (Narrow(child) is not { } narrowed)
                    {
                        return null;
                    }

                    branches.UnionWith(narrowed);
                }

                return branches;
            default:
                return null;
        }
    }

    /// <summary>False only when a plain <c>eq</c> / <c>in</c> scope condition rules the scope out; anything else may match.</summary>
    private static bool CouldMatch(FilterNode node, MemoryScope scope)
    {
        if (node is not ConditionFilter { Field.IsScopeId: true } condition)
        {
            return true;
        }

        var actual = condition.Field.Kind switch
        {
            FilterFieldKind.UserId => scope.UserId,
            FilterFieldKind.AgentId => scope.AgentId,
            FilterFieldKind.AppId => scope.AppId,
            _ => scope.RunId,
        };
        return condition switch
        {
            { Operator: FilterOperator.Eq, Value: StringValue value } => actual == value.Value,
            { Operator: FilterOperator.In, Value: ListValue list } => list.Items.Any(item => item is StringValue text && text.Value == actual),
            _ => true,
        };
    }

    private IReadOnlyCollection<ScopePartition> Lookup(FilterFieldKind kind, string value) =>
        _partitionsByScopeId.TryGetValue((kind, value), out var partitions) ? partitions : [];

    private IEnumerable<ScopePartition> Resolve(IReadOnlyCollection<MemoryScope> scopes)
    {
        foreach (var scope in scopes)
        {
            if (_partitions.TryGetValue(scope, out var partition))
            {
                yield return partition;
            }
        }
    }

    private ScopePartition AddPartition(MemoryScope scope, bool loaded)
    {
        var partition = new ScopePartition(scope) { Loaded = loaded };
        _partitions.Add(scope, partition);
        AddLookup(FilterFieldKind.UserId, scope.UserId, partition);
        AddLookup(FilterFieldKind.AgentId, scope.AgentId, partition);
        AddLookup(FilterFieldKind.AppId, scope.AppId, partition);
        AddLookup(FilterFieldKind.RunId, scope.RunId, partition);
        return partition;
    }

    private void AddLookup(FilterFieldKind kind, string? value, ScopePartition partition)
    {
        if (value is null)
        {
            return;
        }

        if (!_partitionsByScopeId.TryGetValue((kind, value), out var list))
        {
            list = [];
            _partitionsByScopeId.Add((kind, value), list);
        }

        list.Add(partition);
    }

    private void UpsertResident(ScopePartition partition, MemoryRecord memory)
    {
        if (_residentById.TryGetValue(memory.Id, out var current) && current != partition)
        {
            // The memory moved to another scope.
            RemoveResident(memory.Id);
        }

        var slab = partition.Slab(memory.EmbeddingModel);
        var holder = partition.Holding(memory.Id);
        if (holder is not null && (holder != slab || holder.Dimensions != memory.Embedding.Length))
        {
            RemoveFrom(partition, holder, memory.Id);
        }

        if (slab is not null && slab.Dimensions != memory.Embedding.Length)
        {
            // Same model name, different size: the model changed under the name. Keep the newest shape.
            foreach (var stale in slab.Ids().ToList())
            {
                RemoveFrom(partition, slab, stale);
            }

            partition.Slabs.Remove(slab);
            slab = null;
        }

        if (slab is null)
        {
            slab = new ChunkedSlab(Intern(memory.EmbeddingModel), memory.Embedding.Length);
            partition.Slabs.Add(slab);
        }

        // The slab holds the vector; the stored record drops its own copy and shares the partition's scope and strings.
        var stored = memory with
        {
            Embedding = [],
            Scope = partition.Scope,
            ProjectId = Intern(memory.ProjectId),
            EmbeddingModel = slab.Model,
        };
        var previous = slab.TryGetSlot(memory.Id, out var slot) ? slab.MemoryAt(slot) : null;
        slab.Upsert(memory, stored);
        var delta = EstimateBytes(slab, stored) - (previous is null ? 0 : EstimateBytes(slab, previous));
        partition.Bytes += delta;
        _residentBytes += delta;

        _residentById[memory.Id] = partition;
    }

    private void RemoveResident(string id)
    {
        if (_residentById.TryGetValue(id, out var partition) && partition.Holding(id) is { } slab)
        {
            RemoveFrom(partition, slab, id);
        }
    }

    private void RemoveFrom(ScopePartition partition, ChunkedSlab slab, string id)
    {
        if (slab.Remove(id) is { } removed)
        {
            var bytes = EstimateBytes(slab, removed);
            partition.Bytes -= bytes;
            _residentBytes -= bytes;
        }

        _residentById.Remove(id);
    }

    private void EvictOverBudgetCore()
    {
        if (_residentBytes <= BudgetBytes)
        {
            return;
        }

        foreach (var partition in _partitions.Values.Where(p => p.Loaded && p.Bytes > 0).OrderBy(p => p.LastUsed).ToList())
        {
            if (_residentBytes <= BudgetBytes)
            {
                break;
            }

            Unload(partition);
            Evictions++;
        }
    }

    private void Unload(ScopePartition partition)
    {
        var count = 0;
        foreach (var slab in partition.Slabs)
        {
            count += slab.Count;
            foreach (var id in slab.Ids())
            {
                _residentById.Remove(id);
            }
        }

        partition.Slabs.Clear();
        partition.EstimatedCount = Math.Max(count, partition.EstimatedCount);
        _residentBytes -= partition.Bytes;
        partition.Bytes = 0;
        partition.Loaded = false;
    }

    private long EstimateCore(MemoryScope scope)
    {
        var perMemory = _residentById.Count > 0 ? Math.Max(_residentBytes / _residentById.Count, 1) : DefaultBytesPerMemory;
        return Math.Max(1, _partitions.TryGetValue(scope, out var partition) ? partition.EstimatedCount : 1) * perMemory;
    }

    private static long EstimateBytes(ChunkedSlab slab, MemoryRecord stored) =>
        slab.BytesPerRowVectors
        + RecordOverheadBytes
        + (2L * (stored.Text.Length + stored.Id.Length + stored.Hash.Length))
        + (stored.Metadata is null ? 0 : 256)
        + (32L * stored.Categories.Count);

    private string Intern(string value)
    {
        if (!_interned.TryGetValue(value, out var shared))
        {
            shared = value;
            _interned.Add(value, value);
        }

        return shared;
    }

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The memories of one exact scope: resident (searchable) or only known by its count.</summary>
    private sealed class ScopePartition(MemoryScope scope)
    {
        public MemoryScope Scope { get; } = scope;

        public bool Loaded { get; set; }

        /// <summary>Memories in storage, for planning loads while not resident.</summary>
        public int EstimatedCount { get; set; }

        public long LastUsed { get; set; }

        public long Bytes { get; set; }

        /// <summary>One slab per embedding model; almost always exactly one.</summary>
        public List<ChunkedSlab> Slabs { get; } = [];

        public int Count
        {
            get
            {
                var count = 0;
                foreach (var slab in Slabs)
                {
                    count += slab.Count;
                }

                return count;
            }
        }

        public ChunkedSlab? Slab(string model)
        {
            foreach (var slab in Slabs)
            {
                if (slab.Model == model)
                {
                    return slab;
                }
            }

            return null;
        }

        public ChunkedSlab? Holding(string id)
        {
            foreach (var slab in Slabs)
            {
                if (slab.Contains(id))
                {
                    return slab;
                }
            }

            return null;
        }
    }
}
