using System.Globalization;
using System.Text;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary>
/// Builds the parameterized queries the memory store runs. Kept apart from the store so their text and parameters can
/// be tested without a client: vector ranking and RRF cannot be evaluated by any local double.
/// </summary>
public static class CosmosMemoryQueries
{
    /// <summary>The memory fields a search projects next to the score (everything but the type-free system fields).</summary>
    internal const string MemoryFields =
        "c.id, c.projectId, c.ownerKey, c.memory, c.hash, c.embedding, c.embeddingModel, c.userId, c.agentId, c.appId, c.runId, " +
        "c.metadata, c.categories, c.immutable, c.expirationDate, c.createdAt, c.updatedAt, c.entities, c._etag";

    /// <summary>Full-text ranking accepts a bounded number of terms; more add cost and little precision.</summary>
    internal const int MaxKeywordTerms = 16;

    /// <summary>Neighbours in time order: <c>createdAt</c>, then id (the local index's order).</summary>
    private static readonly Comparer<MemoryRecord> TimeOrder = Comparer<MemoryRecord>.Create(CompareTime);

    /// <summary>
    /// <c>SELECT TOP @k ... VectorDistance AS score ... ORDER BY RANK RRF(VectorDistance(...), FullTextScore(c.memory,
    /// terms...), FullTextScore(c.entityText, entities...), [weights])</c>: the local store's fusion on Cosmos DB — the
    /// query's terms without stopwords against the text, the entities it names against the memory's entities, weighted
    /// as <see cref="HybridRanking.DefaultWeights"/>. Legs with nothing to match are left out; with none, plain
    /// <c>ORDER BY VectorDistance</c>. The projected score is always the vector one (FullTextScore cannot be projected).
    /// The time leg is not in the query (RRF takes only scoring functions): see <see cref="PlanSearch"/>.
    /// </summary>
    public static QueryDefinition Search(string projectId, MemorySearchQuery query) => PlanSearch(projectId, query).Query;

    /// <summary>
    /// The search as Cosmos DB runs it. When the query names a period (<see cref="TimeWindow"/>) and the time signal is
    /// on, the fused query reads <see cref="HybridRanking.CandidateDepth"/> candidates instead of top k, and
    /// <see cref="Rank"/> adds the time leg over them in the store, as the local store does over its candidates.
    /// </summary>
    public static CosmosSearchPlan PlanSearch(string projectId, MemorySearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = Where(projectId, query.Filter, query.IncludeExpired, query.Today);
        var terms = query.Signals.HasFlag(SearchSignals.Keyword) ? KeywordTerms(query.QueryText) : [];
        var entities = query.Signals.HasFlag(SearchSignals.Entity)
            ? EntityExtractor.Words(EntityExtractor.FromQuery(query.QueryText)).Take(MaxKeywordTerms).ToList()
            : [];
        var weights = query.Weights ?? HybridRanking.DefaultWeights;
        var time = query.Signals.HasFlag(SearchSignals.Time) ? TimeWindow.Parse(query.QueryText, query.Today) : null;
        var candidates = time is null ? query.TopK : HybridRanking.CandidateDepth(query.TopK);

        var sql = new StringBuilder()
            .Append("SELECT TOP @k ").Append(MemoryFields).Append(", VectorDistance(c.embedding, @vector) AS score FROM c WHERE ")
            .Append(where.Sql).Append(" AND c.embeddingModel = @embeddingModel ORDER BY ");
        var definitionParameters = new List<(string Name, object Value)>();
        var legs = new List<(string Score, double Weight)> { ("VectorDistance(c.embedding, @vector)", weights.Vector) };
        if (terms.Count > 0)
        {
            legs.Add(($"FullTextScore(c.memory, {Parameters("@term", terms, definitionParameters)})", weights.Keyword));
        }

        if (entities.Count > 0)
        {
            legs.Add(($"FullTextScore(c.entityText, {Parameters("@entity", entities, definitionParameters)})", weights.Entity));
        }

        if (legs.Count > 1)
        {
            var weightList = string.Join(", ", legs.Select(leg => leg.Weight.ToString("0.###", CultureInfo.InvariantCulture)));
            sql.Append("RANK RRF(").Append(string.Join(", ", legs.Select(leg => leg.Score))).Append(", [").Append(weightList).Append("])");
        }
        else
        {
            sql.Append("VectorDistance(c.embedding, @vector)");
        }

        var definition = new QueryDefinition(sql.ToString())
            .WithParameter("@k", candidates)
            .WithParameter("@vector", query.Vector)
            .WithParameter("@embeddingModel", query.EmbeddingModel);
        foreach (var (name, value) in definitionParameters)
        {
            definition.WithParameter(name, value);
        }

        // A search without text is a plain similarity lookup (as the add pipeline's): no conversation to follow.
        var followsNeighbours = query.Signals.HasFlag(SearchSignals.Neighbour) && !string.IsNullOrWhiteSpace(query.QueryText)
            && weights.Neighbour > 0 && weights.NeighbourAnchors > 0 && weights.NeighboursPerSide > 0;
        return new CosmosSearchPlan(AddParameters(definition, where), query.TopK, time, weights with { Vector = legs.Sum(leg => leg.Weight) })
        {
            FollowsNeighbours = followsNeighbours,
        };
    }

    /// <summary>
    /// The candidates <see cref="HybridRanking.Fuse"/> will take as neighbour anchors: the best
    /// <see cref="RankingWeights.NeighbourAnchors"/> of the fused order before any neighbour boost (Fuse orders its
    /// result exactly as it picks anchors), so their neighbours can be read before Fuse, whose source is synchronous.
    /// </summary>
    public static IReadOnlyList<MemoryRecord> Anchors(CosmosSearchPlan plan, IReadOnlyList<(MemoryRecord Memory, double Score)> hits)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(hits);
        if (!plan.FollowsNeighbours || hits.Count == 0)
        {
            return [];
        }

        var preliminary = plan with { TopK = plan.Weights.NeighbourAnchors, FollowsNeighbours = false };
        return Rank(preliminary, hits).Select(hit => hit.Memory).ToList();
    }

    /// <summary>
    /// The two reads of one anchor's neighbours, in its own scope (the anchor's owner partition, every scope id equal,
    /// absent ids absent) and within the search's filter, expiry and embedding model: the memories stored up to
    /// <paramref name="maxGap"/> before it, latest first, and up to <paramref name="maxGap"/> after it, earliest first,
    /// each <c>TOP perSide + 1</c> (the anchor itself is in both ranges, as are memories stored at the same instant).
    /// Two small ordered reads, because one read of the whole window would cost as much as the window holds, and one
    /// <c>TOP</c> over the window ordered by time would return its earliest memories, not the anchor's nearest.
    /// </summary>
    public static (QueryDefinition Before, QueryDefinition After) Neighbours(
        string projectId, MemorySearchQuery query, MemoryRecord anchor, int perSide, TimeSpan maxGap)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(anchor);
        return (
            NeighbourQuery(projectId, query, anchor, perSide, "c.createdAt >= @from AND c.createdAt <= @at", "DESC", anchor.CreatedAt - maxGap),
            NeighbourQuery(projectId, query, anchor, perSide, "c.createdAt >= @at AND c.createdAt <= @to", "ASC", anchor.CreatedAt + maxGap));
    }

    /// <summary>
    /// The up to <paramref name="perSide"/> memories just before and just after <paramref name="anchor"/> (by
    /// <c>createdAt</c>, then id, as the local index orders them) among what its two neighbour reads returned, each
    /// with its vector similarity. The reads already keep to the anchor's scope and <paramref name="maxGap"/>; both are
    /// checked again here because a neighbour from another scope or conversation would be a wrong answer, not a weak one.
    /// </summary>
    public static IReadOnlyList<NeighbourHit> NeighboursOf(
        MemoryRecord anchor,
        IReadOnlyList<(MemoryRecord Memory, double Score)> before,
        IReadOnlyList<(MemoryRecord Memory, double Score)> after,
        int perSide,
        TimeSpan maxGap)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var all = before.Concat(after)
            .Where(hit => hit.Memory.Scope == anchor.Scope && (hit.Memory.CreatedAt - anchor.CreatedAt).Duration() <= maxGap)
            .DistinctBy(hit => hit.Memory.Id, StringComparer.Ordinal)
            .ToList();
        var earlier = all.Where(hit => CompareTime(hit.Memory, anchor) < 0).OrderByDescending(hit => hit.Memory, TimeOrder).Take(perSide);
        var later = all.Where(hit => CompareTime(hit.Memory, anchor) > 0).OrderBy(hit => hit.Memory, TimeOrder).Take(perSide);
        return earlier.Concat(later).Select(hit => new NeighbourHit(anchor.Id, hit.Memory, (float)hit.Score)).ToList();
    }

    private static int CompareTime(MemoryRecord x, MemoryRecord y)
    {
        var time = x.CreatedAt.CompareTo(y.CreatedAt);
        return time != 0 ? time : string.CompareOrdinal(x.Id, y.Id);
    }

    private static QueryDefinition NeighbourQuery(
        string projectId, MemorySearchQuery query, MemoryRecord anchor, int perSide, string range, string direction, DateTimeOffset bound)
    {
        var where = Where(projectId, query.Filter, query.IncludeExpired, query.Today);
        var sql = new StringBuilder()
            .Append("SELECT TOP @n ").Append(MemoryFields).Append(", VectorDistance(c.embedding, @vector) AS score FROM c WHERE ")
            .Append(where.Sql).Append(" AND c.embeddingModel = @embeddingModel AND ").Append(range);
        var parameters = new List<(string, object)>();
        AppendScopeId(sql, parameters, "c.userId", "@scopeUserId", anchor.Scope.UserId);
        AppendScopeId(sql, parameters, "c.agentId", "@scopeAgentId", anchor.Scope.AgentId);
        AppendScopeId(sql, parameters, "c.appId", "@scopeAppId", anchor.Scope.AppId);
        AppendScopeId(sql, parameters, "c.runId", "@scopeRunId", anchor.Scope.RunId);
        sql.Append(" ORDER BY c.createdAt ").Append(direction);
        var definition = new QueryDefinition(sql.ToString())
            .WithParameter("@n", perSide + 1)
            .WithParameter("@vector", query.Vector)
            .WithParameter("@embeddingModel", query.EmbeddingModel)
            .WithParameter("@at", CosmosJson.FormatTime(anchor.CreatedAt))
            .WithParameter(direction == "DESC" ? "@from" : "@to", CosmosJson.FormatTime(bound));
        foreach (var (name, value) in parameters)
        {
            definition.WithParameter(name, value);
        }

        return AddParameters(definition, where);
    }

    /// <summary>
    /// The final top k from the fused query's hits (best first, each with its vector similarity). Without a time leg,
    /// the query's order. With one, the hits' order is one ranking weighing as much as the legs fused into it, and the
    /// hits created in the named period, in semantic order, a second one with the local time weight
    /// (<see cref="HybridRanking.Fuse"/> itself): an in-period memory moves up, no hit is dropped for being out of it.
    /// </summary>
    /// <remarks>
    /// With <paramref name="neighbours"/> (the prefetched neighbours of <see cref="Anchors"/>), Fuse also lends the
    /// anchors' fused scores to them, as the local store does.
    /// </remarks>
    public static IReadOnlyList<ScoredMemory> Rank(
        CosmosSearchPlan plan, IReadOnlyList<(MemoryRecord Memory, double Score)> hits, IReadOnlyList<NeighbourHit>? neighbours = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(hits);
        var followNeighbours = plan.FollowsNeighbours && neighbours is { Count: > 0 };

        // VectorDistance with the cosine function is a similarity in [-1, 1]; the contract's score is in [0, 1].
        if (plan.Time is null && !followNeighbours)
        {
            return hits.Take(plan.TopK).Select(hit => new ScoredMemory(hit.Memory, Math.Clamp(hit.Score, 0.0, 1.0))).ToList();
        }

        var features = new QueryFeatures([], new HashSet<string>(StringComparer.Ordinal), plan.Time) { HasText = followNeighbours };
        var candidates = hits.Select(hit => (hit.Memory, (float)hit.Score)).ToList();
        var signals = SearchSignals.Vector
            | (plan.Time is null ? SearchSignals.None : SearchSignals.Time)
            | (followNeighbours ? SearchSignals.Neighbour : SearchSignals.None);
        NeighbourSource? source = followNeighbours ? _ => neighbours! : null;
        return HybridRanking.Fuse(candidates, [], features, signals, plan.TopK, plan.Weights, source);
    }

    private static string Parameters(string prefix, IReadOnlyList<string> values, List<(string Name, object Value)> parameters)
    {
        var names = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var name = prefix + i.ToString(CultureInfo.InvariantCulture);
            names.Add(name);
            parameters.Add((name, values[i]));
        }

        return string.Join(", ", names);
    }

    /// <summary>Newest first. Paging is by continuation token; OFFSET/LIMIT would re-read every skipped document.</summary>
    public static QueryDefinition List(string projectId, FilterNode filter, bool includeExpired, DateOnly today)
    {
        var where = Where(projectId, filter, includeExpired, today);
        return AddParameters(new QueryDefinition($"SELECT * FROM c WHERE {where.Sql} ORDER BY c.createdAt DESC"), where);
    }

    public static QueryDefinition Count(string projectId, FilterNode filter, bool includeExpired, DateOnly today)
    {
        var where = Where(projectId, filter, includeExpired, today);
        return AddParameters(new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE {where.Sql}"), where);
    }

    public static QueryDefinition GetById(string projectId, string memoryId) =>
        new QueryDefinition("SELECT * FROM c WHERE c.projectId = @projectId AND c.id = @id")
            .WithParameter("@projectId", projectId)
            .WithParameter("@id", memoryId);

    public static QueryDefinition GetByIds(string projectId, IReadOnlyCollection<string> memoryIds) =>
        new QueryDefinition("SELECT * FROM c WHERE c.projectId = @projectId AND ARRAY_CONTAINS(@ids, c.id)")
            .WithParameter("@projectId", projectId)
            .WithParameter("@ids", memoryIds.ToArray());

    /// <summary>Memories of exactly this scope (absent ids must be absent) with one of the hashes.</summary>
    public static QueryDefinition FindByHash(string projectId, MemoryScope scope, IReadOnlyCollection<string> hashes)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var sql = new StringBuilder("SELECT * FROM c WHERE c.projectId = @projectId AND ARRAY_CONTAINS(@hashes, c.hash)");
        var parameters = new List<(string, object)>();
        AppendScopeId(sql, parameters, "c.userId", "@userId", scope.UserId);
        AppendScopeId(sql, parameters, "c.agentId", "@agentId", scope.AgentId);
        AppendScopeId(sql, parameters, "c.appId", "@appId", scope.AppId);
        AppendScopeId(sql, parameters, "c.runId", "@runId", scope.RunId);
        var definition = new QueryDefinition(sql.ToString())
            .WithParameter("@projectId", projectId)
            .WithParameter("@hashes", hashes.ToArray());
        foreach (var (name, value) in parameters)
        {
            definition.WithParameter(name, value);
        }

        return definition;
    }

    public static QueryDefinition History(string projectId, string memoryId) =>
        new QueryDefinition("SELECT * FROM c WHERE c.projectId = @projectId AND c.memoryId = @memoryId ORDER BY c.createdAt ASC")
            .WithParameter("@projectId", projectId)
            .WithParameter("@memoryId", memoryId);

    /// <summary>The outbox: history entries whose notifications were not enqueued yet, oldest first, across projects.</summary>
    public static QueryDefinition Undispatched(int maxCount) =>
        new QueryDefinition("SELECT TOP @n * FROM c WHERE c.dispatched = false ORDER BY c.createdAt ASC").WithParameter("@n", maxCount);

    /// <summary>The partition key parts of history entries, to patch them.</summary>
    public static QueryDefinition HistoryKeys(IReadOnlyCollection<string> historyEntryIds) =>
        new QueryDefinition("SELECT c.id, c.projectId, c.memoryId FROM c WHERE ARRAY_CONTAINS(@ids, c.id)")
            .WithParameter("@ids", historyEntryIds.ToArray());

    /// <summary>
    /// Memories whose vector another model made, across every project (the re-embedding job's page), leaving out those
    /// it already tried in this run. No ORDER BY: any stale memory will do, and an unordered TOP stops early.
    /// </summary>
    public static QueryDefinition EmbeddedByOtherModels(string modelId, IReadOnlyCollection<string> excludedIds, int maxCount) =>
        new QueryDefinition("SELECT TOP @n * FROM c WHERE c.embeddingModel != @embeddingModel AND NOT ARRAY_CONTAINS(@excluded, c.id)")
            .WithParameter("@n", maxCount)
            .WithParameter("@embeddingModel", modelId)
            .WithParameter("@excluded", excludedIds.ToArray());

    /// <summary>Entities of one kind with their memory counts and first/last activity.</summary>
    public static QueryDefinition Entities(string projectId, EntityType type)
    {
        var path = type switch
        {
            EntityType.User => "c.userId",
            EntityType.Agent => "c.agentId",
            EntityType.App => "c.appId",
            _ => "c.runId",
        };
        return new QueryDefinition(
                $"SELECT {path} AS name, COUNT(1) AS total, MIN(c.createdAt) AS createdAt, MAX(c.updatedAt) AS updatedAt " +
                $"FROM c WHERE c.projectId = @projectId AND IS_DEFINED({path}) AND NOT IS_NULL({path}) GROUP BY {path}")
            .WithParameter("@projectId", projectId);
    }

    /// <summary>
    /// The owner key when the filter pins one user (a top-level AND of <c>user_id = x</c>), so the query can be sent to
    /// that one logical partition; null means the query fans out over the project's partitions.
    /// </summary>
    public static string? SinglePartitionOwner(FilterNode filter) => filter switch
    {
        ConditionFilter { Field.Kind: FilterFieldKind.UserId, Operator: FilterOperator.Eq, Value: StringValue user } => user.Value,
        AndFilter and => and.Children.Select(SinglePartitionOwner).FirstOrDefault(owner => owner is not null),
        _ => null,
    };

    /// <summary>Distinct lower-case words of the query, for FullTextScore.</summary>
    public static IReadOnlyList<string> KeywordTerms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SearchText.KeywordTerms(text).Take(MaxKeywordTerms).ToList();
    }

    private static CosmosSqlFragment Where(string projectId, FilterNode filter, bool includeExpired, DateOnly today)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectId);
        var compiled = CosmosFilterCompiler.Compile(filter);
        var sql = new StringBuilder("c.projectId = @projectId");
        if (compiled.Sql != "true")
        {
            sql.Append(" AND ").Append(compiled.Sql);
        }

        var parameters = new List<KeyValuePair<string, object?>>(compiled.Parameters) { new("@projectId", projectId) };
        if (!includeExpired)
        {
            sql.Append(" AND (NOT IS_DEFINED(c.expirationDate) OR IS_NULL(c.expirationDate) OR c.expirationDate >= @today)");
            parameters.Add(new("@today", CosmosJson.FormatDate(today)));
        }

        return new CosmosSqlFragment(sql.ToString(), parameters);
    }

    private static QueryDefinition AddParameters(QueryDefinition definition, CosmosSqlFragment fragment)
    {
        foreach (var (name, value) in fragment.Parameters)
        {
            definition.WithParameter(name, value);
        }

        return definition;
    }

    private static void AppendScopeId(StringBuilder sql, List<(string, object)> parameters, string path, string parameter, string? value)
    {
        if (value is null)
        {
            sql.Append(" AND (NOT IS_DEFINED(").Append(path).Append(") OR IS_NULL(").Append(path).Append("))");
        }
        else
        {
            sql.Append(" AND ").Append(path).Append(" = ").Append(parameter);
            parameters.Add((parameter, value));
        }
    }
}

/// <summary>
/// A search as Cosmos DB runs it: the fused <paramref name="Query"/>, the final <paramref name="TopK"/>, the period the
/// query names (null: none, or the time signal is off), and the weights <see cref="CosmosMemoryQueries.Rank"/> fuses
/// with, whose <c>Vector</c> is the summed weight of the legs fused inside the query.
/// </summary>
public sealed record CosmosSearchPlan(QueryDefinition Query, int TopK, TimeWindow? Time, RankingWeights Weights)
{
    /// <summary>Whether the store reads the anchors' neighbours (the query has text, the neighbour signal is on).</summary>
    public bool FollowsNeighbours { get; init; }
}
