using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Mem0.Local.Storage;

/// <summary>
/// <see cref="IMemoryStore"/> on SQLite. Listing, counting and history are SQL (filters compiled to parameterized
/// predicates); search fuses (<see cref="HybridRanking"/>) a scan of a per-project in-memory <see cref="VectorIndex"/>
/// (partitioned by scope, loaded scope by scope) kept in step with committed writes, FTS5 BM25 ranks within the caller's filter, and the entity and time signals.
/// </summary>
public sealed partial class SqliteMemoryStore : IMemoryStore, IMemoryChangeOutbox
{
    /// <summary>Up to this many scopes are loaded by one indexed query each; more are read in one pass over the project.</summary>
    private const int ScopesReadOneByOne = 64;

    private const string Columns =
        "m.id, m.project_id, m.text, m.hash, m.embedding, m.embedding_model, m.user_id, m.agent_id, m.app_id, m.run_id, " +
        "m.metadata, m.categories, m.immutable, m.expiration_date, m.created_at, m.updated_at, m.version, m.entities";

    private readonly SqliteDatabase _database;
    private readonly ILogger<SqliteMemoryStore> _logger;
    private readonly ConcurrentDictionary<string, VectorIndex> _indexes = new(StringComparer.Ordinal);

    public SqliteMemoryStore(SqliteDatabase database, ILogger<SqliteMemoryStore> logger)
    {
        _database = database;
        _logger = logger;
    }

    public async Task ApplyAsync(string projectId, MemoryChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty && changes.History.Count == 0)
        {
            return;
        }

        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            var upserts = new List<MemoryRecord>();
            var removals = new List<string>();
            await using (var connection = await _database.OpenAsync(cancellationToken))
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

                // One command per statement kind, reused for every row: SQLite prepares it once per change set
                // instead of once per row (an import chunk inserts hundreds of memories and history entries).
                await using var insert = CreateInsertCommand(connection, transaction);
                foreach (var memory in changes.Added)
                {
                    upserts.Add(await InsertAsync(insert, projectId, memory, cancellationToken));
                }

                foreach (var memory in changes.Updated)
                {
                    upserts.Add(await UpdateAsync(connection, transaction, projectId, memory, cancellationToken));
                }

                foreach (var memory in changes.Deleted)
                {
                    await DeleteAsync(connection, transaction, projectId, memory, cancellationToken);
                    removals.Add(memory.Id);
                }

                await using var insertHistory = CreateInsertHistoryCommand(connection, transaction);
                foreach (var entry in changes.History)
                {
                    await InsertHistoryAsync(insertHistory, projectId, entry, cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            if (_indexes.TryGetValue(projectId, out var index))
            {
                index.Apply(upserts, removals);
            }
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    public async Task<MemoryRecord?> GetAsync(string projectId, string memoryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM memories m WHERE m.project_id = $p AND m.id = $id";
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$id", memoryId);
        var rows = await ReadMemoriesAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<MemoryRecord>> GetManyAsync(string projectId, IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryIds);
        if (memoryIds.Count == 0)
        {
            return [];
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM memories m WHERE m.project_id = $p AND m.id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(memoryIds));
        return await ReadMemoriesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<MemoryRecord>> FindByHashAsync(string projectId, MemoryScope scope, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0)
        {
            return [];
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // IS compares NULLs as equal: "exactly this scope" means the unset ids are unset on the memory too.
        command.CommandText = $"""
            SELECT {Columns} FROM memories m
            WHERE m.project_id = $p AND m.user_id IS $u AND m.agent_id IS $a AND m.app_id IS $app AND m.run_id IS $r
              AND m.hash IN (SELECT value FROM json_each($hashes))
            """;
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$u", (object?)scope.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$a", (object?)scope.AgentId ?? DBNull.Value);
        command.Parameters.AddWithValue("$app", (object?)scope.AppId ?? DBNull.Value);
        command.Parameters.AddWithValue("$r", (object?)scope.RunId ?? DBNull.Value);
        command.Parameters.AddWithValue("$hashes", JsonSerializer.Serialize(hashes));
        return await ReadMemoriesAsync(command, cancellationToken);
    }

    public async Task<MemoryPage> ListAsync(string projectId, MemoryListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 10_000);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("m.project_id = $p AND ").Append(SqliteFilterCompiler.Compile(query.Filter, command));
        AppendExpiry(where, command, query.IncludeExpired, query.Today);
        if (query.ContinuationToken is { } token)
        {
            var (ticks, id) = DecodeToken(token);
            where.Append(" AND (m.created_at < $ct OR (m.created_at = $ct AND m.id < $cid))");
            command.Parameters.AddWithValue("$ct", ticks);
            command.Parameters.AddWithValue("$cid", id);
        }

        command.CommandText = $"SELECT {Columns} FROM memories m WHERE {where} ORDER BY m.created_at DESC, m.id DESC LIMIT $n";
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$n", pageSize + 1);
        var rows = await ReadMemoriesAsync(command, cancellationToken);
        if (rows.Count <= pageSize)
        {
            return new MemoryPage(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        var last = rows[^1];
        return new MemoryPage(rows, EncodeToken(last.CreatedAt.UtcTicks, last.Id));
    }

    public async Task<int> CountAsync(string projectId, FilterNode filter, bool includeExpired, DateOnly today, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("m.project_id = $p AND ").Append(SqliteFilterCompiler.Compile(filter, command));
        AppendExpiry(where, command, includeExpired, today);
        command.CommandText = $"SELECT COUNT(*) FROM memories m WHERE {where}";
        command.Parameters.AddWithValue("$p", projectId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<ScoredMemory>> SearchAsync(string projectId, MemorySearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.TopK <= 0)
        {
            return [];
        }

        var index = await GetIndexAsync(projectId, cancellationToken);
        DateOnly? today = query.IncludeExpired ? null : query.Today;
        var signals = query.Signals;
        if (signals == SearchSignals.Vector)
        {
            return (await SearchIndexAsync(projectId, index, query, query.TopK, today, cancellationToken))
                .Select(hit => new ScoredMemory(hit.Memory, Clamp(hit.Score)))
                .ToList();
        }

        var features = QueryFeatures.From(query.QueryText, query.Today);
        var depth = HybridRanking.CandidateDepth(query.TopK);
        var weights = query.Weights ?? HybridRanking.DefaultWeights;
        var vectorHits = await SearchIndexAsync(projectId, index, query, depth, today, cancellationToken);
        List<(MemoryRecord Memory, float Score)> keywordHits = [];
        if (signals.HasFlag(SearchSignals.Keyword) && features.Terms.Count > 0)
        {
            keywordHits = await KeywordRankAsync(projectId, features.Terms, query, index, today, depth, cancellationToken);
        }

        List<(MemoryRecord Memory, float Score)>? feedbackHits = null;
        // Feedback expands a keyword query; a query with no keyword terms has nothing to expand.
        if (signals.HasFlag(SearchSignals.Keyword) && weights.Feedback > 0 && features.Terms.Count > 0)
        {
            var firstPass = HybridRanking.Fuse(vectorHits, keywordHits, features, signals & ~SearchSignals.Neighbour, PseudoRelevanceFeedback.Documents, weights);
            var candidates = PseudoRelevanceFeedback.CandidateTerms(firstPass.Select(hit => hit.Memory.Text).ToList(), features.Terms);
            if (candidates.Count > 0)
            {
                await using var connection = await _database.OpenAsync(cancellationToken);
                var (total, counts) = await TermCountsAsync(connection, candidates.Select(c => c.Term).ToList(), cancellationToken);
                var expansion = PseudoRelevanceFeedback.Choose(candidates, total, counts);
                if (expansion.Count > 0)
                {
                    feedbackHits = await KeywordRankAsync(projectId, expansion, query, index, today, depth, cancellationToken);
                }
            }
        }

        // Turns of one conversation arrive seconds to minutes apart; an hour apart is another conversation.
        NeighbourSource neighbours = anchors => index
            .Neighbours(query.Vector, query.EmbeddingModel, query.Filter, anchors.Select(a => a.Id).ToList(), weights.NeighboursPerSide, NeighbourMaxGap, today)
            .Select(hit => new NeighbourHit(hit.AnchorId, hit.Memory, hit.Score))
            .ToList();
        return HybridRanking.Fuse(vectorHits, keywordHits, features, signals, query.TopK, weights, neighbours, feedbackHits);
    }

    /// <summary>Memories of any project whose vector another model made (for <see cref="ReembedService"/>), with their ETags.</summary>
    internal async Task<IReadOnlyList<MemoryRecord>> ListEmbeddedByOtherModelsAsync(
        string modelId, IReadOnlyCollection<string> exceptIds, int maxCount, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM memories m
            WHERE m.embedding_model <> $model AND m.id NOT IN (SELECT value FROM json_each($except))
            LIMIT $n
            """;
        command.Parameters.AddWithValue("$model", modelId);
        command.Parameters.AddWithValue("$except", JsonSerializer.Serialize(exceptIds));
        command.Parameters.AddWithValue("$n", maxCount);
        return await ReadMemoriesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetUndispatchedAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM history WHERE dispatched = 0 ORDER BY seq LIMIT $max";
        command.Parameters.AddWithValue("$max", maxCount);
        var result = new List<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(StorageJson.Deserialize<HistoryEntry>(reader.GetString(0)));
        }

        return result;
    }

    public async Task MarkDispatchedAsync(IReadOnlyCollection<string> historyEntryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(historyEntryIds);
        if (historyEntryIds.Count == 0)
        {
            return;
        }

        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;

            // One statement for the batch: history.id has no index, so a statement per id scanned every pending row
            // once per id — during an import that sweep took the write gate longer than the import's own inserts.
            // Here the pending rows (partial index ix_history_undispatched) are walked once against the id set.
            command.CommandText = "UPDATE history SET dispatched = 1 WHERE dispatched = 0 AND id IN (SELECT value FROM json_each($ids))";
            command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(historyEntryIds));
            await command.ExecuteNonQueryAsync(cancellationToken);

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string projectId, string memoryId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM history WHERE project_id = $p AND memory_id = $id ORDER BY created_at, seq";
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$id", memoryId);
        var result = new List<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(StorageJson.Deserialize<HistoryEntry>(reader.GetString(0)));
        }

        return result;
    }

    public async Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(string projectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT 0, user_id, COUNT(*), MIN(created_at), MAX(updated_at) FROM memories WHERE project_id = $p AND user_id IS NOT NULL GROUP BY user_id
            UNION ALL
            SELECT 1, agent_id, COUNT(*), MIN(created_at), MAX(updated_at) FROM memories WHERE project_id = $p AND agent_id IS NOT NULL GROUP BY agent_id
            UNION ALL
            SELECT 2, app_id, COUNT(*), MIN(created_at), MAX(updated_at) FROM memories WHERE project_id = $p AND app_id IS NOT NULL GROUP BY app_id
            UNION ALL
            SELECT 3, run_id, COUNT(*), MIN(created_at), MAX(updated_at) FROM memories WHERE project_id = $p AND run_id IS NOT NULL GROUP BY run_id
            """;
        command.Parameters.AddWithValue("$p", projectId);
        var result = new List<EntitySummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var type = reader.GetInt32(0) switch
            {
                0 => EntityType.User,
                1 => EntityType.Agent,
                2 => EntityType.App,
                _ => EntityType.Run,
            };
            result.Add(new EntitySummary(type, reader.GetString(1), reader.GetInt32(2), FromTicks(reader.GetInt64(3)), FromTicks(reader.GetInt64(4))));
        }

        return result;
    }

    /// <summary>
    /// The project's index, made on first use with its catalogue: every scope of the project and its memory count (an
    /// index-only scan of <c>ix_memories_scope</c>), no vectors yet. Holding the write gate keeps a commit out of the gap.
    /// </summary>
    private async Task<VectorIndex> GetIndexAsync(string projectId, CancellationToken cancellationToken)
    {
        if (_indexes.TryGetValue(projectId, out var index))
        {
            return index;
        }

        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            if (_indexes.TryGetValue(projectId, out index))
            {
                return index;
            }

            var stopwatch = Stopwatch.StartNew();
            index = new VectorIndex(_database.IndexBudgetBytes);
            var scopes = 0;
            await using (var connection = await _database.OpenAsync(cancellationToken))
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    SELECT user_id, agent_id, app_id, run_id, COUNT(*) FROM memories INDEXED BY ix_memories_scope
                    WHERE project_id = $p GROUP BY user_id, agent_id, app_id, run_id
                    """;
                command.Parameters.AddWithValue("$p", projectId);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    string? Nullable(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
                    index.Register(new MemoryScope(Nullable(0), Nullable(1), Nullable(2), Nullable(3)), reader.GetInt32(4));
                    scopes++;
                }
            }

            _indexes[projectId] = index;
            LogIndexCatalogued(projectId, scopes, stopwatch.ElapsedMilliseconds);
            return index;
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    /// <summary>The project's index if it has been made (tests and benchmarks look at what is resident).</summary>
    internal VectorIndex? IndexOf(string projectId) => _indexes.GetValueOrDefault(projectId);

    /// <summary>
    /// Start-up warm-up: the project's catalogue and, while they fit in <paramref name="maxBytes"/>, its scopes, so the
    /// first searches find them resident. The write gate is held only for that bounded load.
    /// </summary>
    public async Task WarmUpAsync(string projectId, long maxBytes, CancellationToken cancellationToken = default)
    {
        var index = await GetIndexAsync(projectId, cancellationToken);
        var missing = new List<MemoryScope>();
        index.Search([1f], "", FilterNode.All, 1, null, missing);
        var batches = index.PlanLoad(missing, Math.Min(maxBytes, index.BudgetBytes));
        if (batches.Count == 0 || index.EstimateBytes(batches[0]) > maxBytes)
        {
            return;
        }

        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            await LoadScopesAsync(projectId, index, batches[0], cancellationToken);
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    /// <summary>
    /// Vector search over the scopes the filter can match. Resident scopes answer at once; missing ones are loaded from
    /// SQLite under the write gate (so no commit or other load interleaves) in batches that fit the budget, each searched
    /// and merged before the next may evict it. A search over more than the budget is correct, only slower.
    /// </summary>
    private async Task<List<(MemoryRecord Memory, float Score)>> SearchIndexAsync(
        string projectId, VectorIndex index, MemorySearchQuery query, int limit, DateOnly? today, CancellationToken cancellationToken)
    {
        var missing = new List<MemoryScope>();
        var hits = index.Search(query.Vector, query.EmbeddingModel, query.Filter, limit, today, missing);
        if (missing.Count == 0)
        {
            return hits;
        }

        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            missing.Clear();
            hits = index.Search(query.Vector, query.EmbeddingModel, query.Filter, limit, today, missing);
            foreach (var batch in index.PlanLoad(missing))
            {
                await LoadScopesAsync(projectId, index, batch, cancellationToken);
                hits = VectorIndex.Merge(hits, index.Search(query.Vector, query.EmbeddingModel, query.Filter, limit, today, only: batch), limit);
                index.EvictOverBudget();
            }

            return hits;
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    /// <summary>Scores keyword hits: resident ones from the index, the others from their SQLite rows.</summary>
    private async Task<List<(MemoryRecord Memory, float Score)>> ScoreIdsAsync(
        string projectId, VectorIndex index, MemorySearchQuery query, IReadOnlyCollection<string> ids, DateOnly? today, CancellationToken cancellationToken)
    {
        var notResident = new List<string>();
        var hits = index.ScoreIds(query.Vector, query.EmbeddingModel, query.Filter, ids, today, notResident);
        if (notResident.Count > 0)
        {
            foreach (var memory in await GetManyAsync(projectId, notResident, cancellationToken))
            {
                if (memory.EmbeddingModel == query.EmbeddingModel && memory.Embedding.Length == query.Vector.Length
                    && (today is not { } day || !memory.IsExpired(day)) && FilterEvaluator.Matches(query.Filter, memory))
                {
                    hits.Add((memory, System.Numerics.Tensors.TensorPrimitives.Dot(memory.Embedding, query.Vector)));
                }
            }
        }

        return hits;
    }

    /// <summary>
    /// Reads the memories of some scopes into the index (caller holds the write gate). A few scopes are read one by one
    /// through <c>ix_memories_scope</c>; many are read in one pass over the project, skipping other scopes' rows before
    /// decoding them. Rows are applied in small batches so they are short-lived garbage, not a list promoted to gen 2.
    /// </summary>
    private async Task LoadScopesAsync(string projectId, VectorIndex index, List<MemoryScope> scopes, CancellationToken cancellationToken)
    {
        var loading = scopes.Where(index.NeedsLoad).ToHashSet();
        if (loading.Count == 0)
        {
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        var rows = 0;
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            var batch = new List<MemoryRecord>(1024);
            if (loading.Count <= ScopesReadOneByOne)
            {
                command.CommandText = $"""
                    SELECT {Columns} FROM memories m INDEXED BY ix_memories_scope
                    WHERE m.project_id = $p AND m.user_id IS $u AND m.agent_id IS $a AND m.app_id IS $app AND m.run_id IS $r
                    """;
                foreach (var scope in loading)
                {
                    SetParameter(command, "$p", projectId);
                    SetParameter(command, "$u", (object?)scope.UserId ?? DBNull.Value);
                    SetParameter(command, "$a", (object?)scope.AgentId ?? DBNull.Value);
                    SetParameter(command, "$app", (object?)scope.AppId ?? DBNull.Value);
                    SetParameter(command, "$r", (object?)scope.RunId ?? DBNull.Value);
                    rows += await ReadIntoAsync(command, index, loading, batch, filterScopes: false, cancellationToken);
                }
            }
            else
            {
                command.CommandText = $"SELECT {Columns} FROM memories m WHERE m.project_id = $p";
                command.Parameters.AddWithValue("$p", projectId);
                rows += await ReadIntoAsync(command, index, loading, batch, filterScopes: true, cancellationToken);
            }

            index.LoadRows(loading, batch);
            index.CompleteLoad(loading);
        }
        catch
        {
            index.AbortLoad(loading);
            throw;
        }

        LogIndexLoaded(projectId, loading.Count, rows, stopwatch.ElapsedMilliseconds);
    }

    private static async Task<int> ReadIntoAsync(
        SqliteCommand command, VectorIndex index, HashSet<MemoryScope> loading, List<MemoryRecord> batch, bool filterScopes, CancellationToken cancellationToken)
    {
        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (filterScopes && !loading.Contains(new MemoryScope(
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9))))
            {
                continue;
            }

            batch.Add(ReadMemory(reader));
            rows++;
            if (batch.Count == batch.Capacity)
            {
                index.LoadRows(loading, batch);
                batch.Clear();
            }
        }

        return rows;
    }

    /// <summary>
    /// The best <paramref name="limit"/> memories by BM25 over the query's terms (any term may match) among those the
    /// caller's filter admits, best first, each with its semantic score. SQLite streams the matches in BM25 order and
    /// the project's in-memory index judges each against the filter (and expiry, and the embedding model) until enough
    /// have passed: so other users' memories in the same project never take the caller's places, and no match is
    /// joined to its 1.5 KB row on disk just to read its scope.
    /// </summary>
    private async Task<List<(MemoryRecord Memory, float Score)>> KeywordRankAsync(
        string projectId, IReadOnlyList<string> terms, MemorySearchQuery query, VectorIndex index, DateOnly? today, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        terms = await InformativeTermsAsync(connection, terms, cancellationToken);
        if (terms.Count == 0)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        // ORDER BY rank (BM25, FTS5's default) lets FTS5 sort inside the index; any predicate beside MATCH, even the
        // project, would make SQLite score and sort every row itself, several times slower. The project, the filter
        // and the expiry are checked below, in memory: the project's index knows only its own memories.
        command.CommandText = "SELECT memory_id, project_id FROM memories_fts WHERE memories_fts MATCH $q ORDER BY rank";
        command.Parameters.AddWithValue("$q", ToFtsQuery(terms));
        var hits = new List<(MemoryRecord Memory, float Score)>(limit);
        var batch = new List<string>(KeywordBatch);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var read = 0;
        while (hits.Count < limit)
        {
            // The budget bounds the rows judged against the filter when the caller's scope holds few of the matches.
            var more = read++ < KeywordScanBudget && await reader.ReadAsync(cancellationToken);
            if (more && string.Equals(reader.GetString(1), projectId, StringComparison.Ordinal))
            {
                batch.Add(reader.GetString(0));
            }

            if (batch.Count == KeywordBatch || (!more && batch.Count > 0))
            {
                // Keep BM25 order: memories whose scope is not resident are scored from their rows, after the others.
                var order = batch.Select((id, position) => (id, position)).ToDictionary(p => p.id, p => p.position, StringComparer.Ordinal);
                var scored = await ScoreIdsAsync(projectId, index, query, batch, today, cancellationToken);
                hits.AddRange(scored.OrderBy(hit => order[hit.Memory.Id]).Take(limit - hits.Count));
                batch.Clear();
            }

            if (!more)
            {
                break;
            }
        }

        return hits;
    }

    /// <summary>
    /// The terms found in at most half the indexed memories. BM25 gives a term in more than half the documents an IDF of
    /// about zero, so it cannot change the ranking, yet SQLite would score every one of its matches before returning the
    /// first: a name every memory of a large scope mentions made the keyword leg many times slower. Counting a term's
    /// matches reads only its document list.
    /// </summary>
    private static async Task<IReadOnlyList<string>> InformativeTermsAsync(SqliteConnection connection, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        var (total, counts) = await TermCountsAsync(connection, terms, cancellationToken);
        var informative = new List<string>(terms.Count);
        for (var i = 0; i < terms.Count; i++)
        {
            var documents = counts[i];
            // Only a cost guard: below a few thousand matches scoring is cheap, and a term common in the project may
            // still be rare in the caller's scope.
            if (documents > 0 && (documents * 2 <= total || documents <= UninformativeTermMinimum))
            {
                informative.Add(terms[i]);
            }
        }

        return informative;
    }

    /// <summary>How many memories (of all projects) the full-text index holds, and how many contain each term.</summary>
    private static async Task<(long Total, long[] Counts)> TermCountsAsync(SqliteConnection connection, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var counts = new StringBuilder("SELECT (SELECT COUNT(*) FROM memories)");
        for (var i = 0; i < terms.Count; i++)
        {
            var name = "$t" + i.ToString(CultureInfo.InvariantCulture);
            counts.Append(", (SELECT COUNT(*) FROM memories_fts WHERE memories_fts MATCH ").Append(name).Append(')');
            command.Parameters.AddWithValue(name, ToFtsQuery([terms[i]]));
        }

        command.CommandText = counts.ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new long[terms.Count];
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (0, result);
        }

        for (var i = 0; i < terms.Count; i++)
        {
            result[i] = reader.GetInt64(i + 1);
        }

        return (reader.GetInt64(0), result);
    }

    /// <summary>A term in more than half the memories is skipped only when it also has more matches than this.</summary>
    private const int UninformativeTermMinimum = 2_000;

    /// <summary>Memories stored this close in time to a strong hit, in its scope, count as its conversational neighbours.</summary>
    private static readonly TimeSpan NeighbourMaxGap = TimeSpan.FromHours(1);

    /// <summary>
    /// At most this many full-text matches (best BM25 first, across the project) are read per search. Common terms
    /// are already dropped by <see cref="InformativeTermsAsync"/>; this bounds the rest, so a scope that holds few of a
    /// project's matches costs at most this many cheap rows, and its matches beyond them are left to the vector leg.
    /// </summary>
    private const int KeywordScanBudget = 20_000;

    /// <summary>Keyword matches are checked against the filter this many at a time.</summary>
    private const int KeywordBatch = 64;

    /// <summary>
    /// Turns search terms into an FTS5 query: every term quoted (so FTS syntax in user text is inert), joined by OR.
    /// </summary>
    internal static string ToFtsQuery(IReadOnlyList<string> terms) =>
        string.Join(" OR ", terms.Select(term => "\"" + term.Replace("\"", "", StringComparison.Ordinal) + "\""));

    private static SqliteCommand CreateInsertCommand(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO memories (project_id, id, text, hash, embedding, embedding_model, user_id, agent_id, app_id, run_id,
                metadata, categories, immutable, expiration_date, created_at, updated_at, version, entities)
            VALUES ($p, $id, $text, $hash, $embedding, $model, $u, $a, $app, $r, $metadata, $categories, $immutable, $expires, $created, $updated, 1, $entities);
            INSERT INTO memories_fts (rowid, text, project_id, memory_id) VALUES (last_insert_rowid(), $text, $p, $id);
            """;
        return command;
    }

    private static async Task<MemoryRecord> InsertAsync(SqliteCommand command, string projectId, MemoryRecord memory, CancellationToken cancellationToken)
    {
        memory = WithEntities(memory);
        SetMemoryParameters(command, projectId, memory);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            throw new ConcurrencyConflictException($"Memory {memory.Id} already exists.", exception);
        }

        return memory with { ProjectId = projectId, ETag = "1" };
    }

    private static async Task<MemoryRecord> UpdateAsync(SqliteConnection connection, SqliteTransaction transaction, string projectId, MemoryRecord memory, CancellationToken cancellationToken)
    {
        // The text may have changed: entities are derived again unless the writer supplied them.
        memory = WithEntities(memory);
        long version;
        long rowId;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                UPDATE memories SET text = $text, hash = $hash, embedding = $embedding, embedding_model = $model,
                    user_id = $u, agent_id = $a, app_id = $app, run_id = $r, metadata = $metadata, categories = $categories,
                    immutable = $immutable, expiration_date = $expires, created_at = $created, updated_at = $updated,
                    entities = $entities, version = version + 1
                WHERE project_id = $p AND id = $id AND ($etag IS NULL OR version = $etag)
                RETURNING version, rowid
                """;
            SetMemoryParameters(command, projectId, memory);
            command.Parameters.AddWithValue("$etag", ParseETag(memory));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.DisposeAsync();
                throw await MissOrConflictAsync(connection, transaction, projectId, memory.Id, cancellationToken);
            }

            version = reader.GetInt64(0);
            rowId = reader.GetInt64(1);
        }

        await using (var fts = connection.CreateCommand())
        {
            fts.Transaction = transaction;
            fts.CommandText = """
                DELETE FROM memories_fts WHERE rowid = $row;
                INSERT INTO memories_fts (rowid, text, project_id, memory_id) VALUES ($row, $text, $p, $id);
                """;
            fts.Parameters.AddWithValue("$row", rowId);
            fts.Parameters.AddWithValue("$text", memory.Text);
            fts.Parameters.AddWithValue("$p", projectId);
            fts.Parameters.AddWithValue("$id", memory.Id);
            await fts.ExecuteNonQueryAsync(cancellationToken);
        }

        return memory with { ProjectId = projectId, ETag = version.ToString(CultureInfo.InvariantCulture) };
    }

    private static async Task DeleteAsync(SqliteConnection connection, SqliteTransaction transaction, string projectId, MemoryRecord memory, CancellationToken cancellationToken)
    {
        long rowId;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM memories WHERE project_id = $p AND id = $id AND ($etag IS NULL OR version = $etag) RETURNING rowid";
            command.Parameters.AddWithValue("$p", projectId);
            command.Parameters.AddWithValue("$id", memory.Id);
            command.Parameters.AddWithValue("$etag", ParseETag(memory));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                await reader.DisposeAsync();
                throw await MissOrConflictAsync(connection, transaction, projectId, memory.Id, cancellationToken);
            }

            rowId = reader.GetInt64(0);
        }

        await using var fts = connection.CreateCommand();
        fts.Transaction = transaction;
        fts.CommandText = "DELETE FROM memories_fts WHERE rowid = $row";
        fts.Parameters.AddWithValue("$row", rowId);
        await fts.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Mem0Exception> MissOrConflictAsync(SqliteConnection connection, SqliteTransaction transaction, string projectId, string memoryId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM memories WHERE project_id = $p AND id = $id";
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$id", memoryId);
        return await command.ExecuteScalarAsync(cancellationToken) is null
            ? new MemoryNotFoundException($"Memory {memoryId} not found.")
            : new ConcurrencyConflictException($"Memory {memoryId} changed since it was read.");
    }

    private static SqliteCommand CreateInsertHistoryCommand(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO history (project_id, id, memory_id, event, created_at, document, dispatched)
            VALUES ($p, $id, $memory, $event, $created, $document, 0)
            """;
        return command;
    }

    private static async Task InsertHistoryAsync(SqliteCommand command, string projectId, HistoryEntry entry, CancellationToken cancellationToken)
    {
        SetParameter(command, "$p", projectId);
        SetParameter(command, "$id", entry.Id);
        SetParameter(command, "$memory", entry.MemoryId);
        SetParameter(command, "$event", entry.Event.ToString());
        SetParameter(command, "$created", entry.CreatedAt.UtcTicks);
        SetParameter(command, "$document", StorageJson.Serialize(entry with { ProjectId = projectId }));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds the parameter, or replaces its value when the command is being reused for the next row.</summary>
    private static void SetParameter(SqliteCommand command, string name, object value)
    {
        var index = command.Parameters.IndexOf(name);
        if (index >= 0)
        {
            command.Parameters[index].Value = value;
        }
        else
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    private static object ParseETag(MemoryRecord memory)
    {
        if (memory.ETag is null)
        {
            return DBNull.Value;
        }

        // A token this store never issued cannot match any version.
        return long.TryParse(memory.ETag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1L;
    }

    private static void SetMemoryParameters(SqliteCommand command, string projectId, MemoryRecord memory)
    {
        SetParameter(command, "$p", projectId);
        SetParameter(command, "$id", memory.Id);
        SetParameter(command, "$text", memory.Text);
        SetParameter(command, "$hash", memory.Hash);
        SetParameter(command, "$embedding", MemoryMarshal.AsBytes(memory.Embedding.AsSpan()).ToArray());
        SetParameter(command, "$model", memory.EmbeddingModel);
        SetParameter(command, "$u", (object?)memory.Scope.UserId ?? DBNull.Value);
        SetParameter(command, "$a", (object?)memory.Scope.AgentId ?? DBNull.Value);
        SetParameter(command, "$app", (object?)memory.Scope.AppId ?? DBNull.Value);
        SetParameter(command, "$r", (object?)memory.Scope.RunId ?? DBNull.Value);
        SetParameter(command, "$metadata", memory.Metadata is { } metadata ? metadata.GetRawText() : DBNull.Value);
        SetParameter(command, "$categories", JsonSerializer.Serialize(memory.Categories));
        SetParameter(command, "$immutable", memory.Immutable ? 1 : 0);
        SetParameter(command, "$expires", memory.ExpirationDate is { } date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
        SetParameter(command, "$created", memory.CreatedAt.UtcTicks);
        SetParameter(command, "$updated", memory.UpdatedAt.UtcTicks);
        SetParameter(command, "$entities", JsonSerializer.Serialize(memory.Entities));
    }

    /// <summary>The memory with its entities: the writer's (an LLM may name them), else extracted from the text.</summary>
    private static MemoryRecord WithEntities(MemoryRecord memory) =>
        memory.Entities.Count > 0 ? memory : memory with { Entities = EntityExtractor.FromStoredText(memory.Text) };

    private static async Task<List<MemoryRecord>> ReadMemoriesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<MemoryRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadMemory(reader));
        }

        return result;
    }

    private static MemoryRecord ReadMemory(SqliteDataReader reader)
    {
        var blob = (byte[])reader.GetValue(4);
        string? Nullable(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        JsonElement? metadata = null;
        if (!reader.IsDBNull(10))
        {
            using var document = JsonDocument.Parse(reader.GetString(10), new JsonDocumentOptions { MaxDepth = StorageJson.ReadDepth });
            metadata = document.RootElement.Clone();
        }

        return new MemoryRecord
        {
            Id = reader.GetString(0),
            ProjectId = reader.GetString(1),
            Text = reader.GetString(2),
            Hash = reader.GetString(3),
            Embedding = MemoryMarshal.Cast<byte, float>(blob).ToArray(),
            EmbeddingModel = reader.GetString(5),
            Scope = new MemoryScope(Nullable(6), Nullable(7), Nullable(8), Nullable(9)),
            Metadata = metadata,
            Categories = JsonSerializer.Deserialize<string[]>(reader.GetString(11)) ?? [],
            Immutable = reader.GetInt64(12) != 0,
            ExpirationDate = reader.IsDBNull(13) ? null : DateOnly.ParseExact(reader.GetString(13), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            CreatedAt = FromTicks(reader.GetInt64(14)),
            UpdatedAt = FromTicks(reader.GetInt64(15)),
            ETag = reader.GetInt64(16).ToString(CultureInfo.InvariantCulture),
            Entities = ReadEntities(reader.GetString(17), reader.GetString(2)),
        };
    }

    /// <summary>Stored entities; rows written before entities were stored get them from their text.</summary>
    private static IReadOnlyList<string> ReadEntities(string json, string text)
    {
        var stored = JsonSerializer.Deserialize<string[]>(json) ?? [];
        return stored.Length > 0 ? stored : EntityExtractor.FromStoredText(text);
    }

    private static void AppendExpiry(StringBuilder where, SqliteCommand command, bool includeExpired, DateOnly today)
    {
        if (!includeExpired)
        {
            // ISO dates compare correctly as text; expired means the expiration date is before today.
            where.Append(" AND (m.expiration_date IS NULL OR m.expiration_date >= $today)");
            command.Parameters.AddWithValue("$today", today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    private static string EncodeToken(long ticks, string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(ticks.ToString(CultureInfo.InvariantCulture) + ":" + id));

    private static (long Ticks, string Id) DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return (ticks, text[(colon + 1)..]);
            }
        }
        catch (FormatException)
        {
            // Reported below as a validation error.
        }

        throw new ValidationException("continuation_token", "The continuation token is not valid.");
    }

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private static double Clamp(float score) => Math.Clamp((double)score, 0.0, 1.0);

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalogued the vector index of project {ProjectId}: {Scopes} scopes in {ElapsedMs} ms")]
    private partial void LogIndexCatalogued(string projectId, int scopes, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded {Scopes} scopes of project {ProjectId} into the vector index: {Count} memories in {ElapsedMs} ms")]
    private partial void LogIndexLoaded(string projectId, int scopes, int count, long elapsedMs);
}
