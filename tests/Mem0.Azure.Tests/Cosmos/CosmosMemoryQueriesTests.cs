using Mem0.Azure.Cosmos;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class CosmosMemoryQueriesTests
{
    private static readonly DateOnly s_today = new(2025, 6, 1);
    private static readonly FilterNode s_alice = new ConditionFilter(FilterField.Of(FilterFieldKind.UserId), FilterOperator.Eq, new StringValue("alice"));

    private static MemorySearchQuery SearchQuery(bool keyword, string text = "green tea") => new()
    {
        Filter = s_alice,
        Vector = [0.1f, 0.2f],
        EmbeddingModel = "m",
        QueryText = text,
        TopK = 5,
        KeywordSearch = keyword,
        Signals = keyword ? SearchSignals.All : SearchSignals.Vector,
        Today = s_today,
    };

    private static Dictionary<string, object?> Parameters(Microsoft.Azure.Cosmos.QueryDefinition q) =>
        q.GetQueryParameters().ToDictionary(p => p.Name, p => (object?)p.Value);

    [Fact]
    public void Search_VectorOnly_TopKOrderedByVectorDistanceWithScoreProjection()
    {
        var query = CosmosMemoryQueries.Search("p1", SearchQuery(keyword: false));

        Assert.Equal(
            "SELECT TOP @k " + CosmosMemoryQueries.MemoryFields + ", VectorDistance(c.embedding, @vector) AS score FROM c WHERE c.projectId = @projectId "
            + "AND (IS_DEFINED(c.userId) AND c.userId = @f0) AND (NOT IS_DEFINED(c.expirationDate) OR IS_NULL(c.expirationDate) OR c.expirationDate >= @today) "
            + "AND c.embeddingModel = @embeddingModel ORDER BY VectorDistance(c.embedding, @vector)",
            query.QueryText);
        var parameters = Parameters(query);
        Assert.Equal(5, parameters["@k"]);
        Assert.Equal(new[] { 0.1f, 0.2f }, parameters["@vector"]);
        Assert.Equal("p1", parameters["@projectId"]);
        Assert.Equal("alice", parameters["@f0"]);
        Assert.Equal("2025-06-01", parameters["@today"]);
        Assert.Equal("m", parameters["@embeddingModel"]);
    }

    [Fact]
    public void Search_KeywordSearch_FusesVectorAndFullTextWithRrf()
    {
        var query = CosmosMemoryQueries.Search("p1", SearchQuery(keyword: true));

        Assert.EndsWith("ORDER BY RANK RRF(VectorDistance(c.embedding, @vector), FullTextScore(c.memory, @term0, @term1), [1, 1])", query.QueryText, StringComparison.Ordinal);

        // FullTextScore cannot be projected: the score stays the vector similarity.
        Assert.Contains("VectorDistance(c.embedding, @vector) AS score", query.QueryText, StringComparison.Ordinal);
        Assert.DoesNotContain("FullTextScore(c.memory, @term0, @term1) AS", query.QueryText, StringComparison.Ordinal);
        Assert.Equal("green", Parameters(query)["@term0"]);
        Assert.Equal("tea", Parameters(query)["@term1"]);
    }

    [Fact]
    public void Search_Default_FusesVectorTextAndEntitiesWithTheLocalWeights()
    {
        var query = CosmosMemoryQueries.Search("p1", SearchQuery(keyword: false) with
        {
            QueryText = "What did Caroline paint with Melanie's kids?",
            Signals = SearchSignals.All,
        });

        Assert.EndsWith(
            "ORDER BY RANK RRF(VectorDistance(c.embedding, @vector), "
            + "FullTextScore(c.memory, @term0, @term1, @term2, @term3), FullTextScore(c.entityText, @entity0, @entity1), [1, 1, 0.5])",
            query.QueryText,
            StringComparison.Ordinal);
        var parameters = Parameters(query);

        // Stopwords ("what", "did", "with") never reach the full-text leg; possessives are cut.
        Assert.Equal(["caroline", "paint", "melanie", "kids"], new[] { "@term0", "@term1", "@term2", "@term3" }.Select(n => parameters[n]));
        Assert.Equal(["caroline", "melanie"], new[] { "@entity0", "@entity1" }.Select(n => parameters[n]));
        Assert.Contains("c.entities", CosmosMemoryQueries.MemoryFields, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_OnlyStopwords_FallsBackToVectorOrder()
    {
        var query = CosmosMemoryQueries.Search("p1", SearchQuery(keyword: true, text: "What did she do?"));

        Assert.EndsWith("ORDER BY VectorDistance(c.embedding, @vector)", query.QueryText, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_KeywordSearchWithoutWords_FallsBackToVectorOrder()
    {
        var query = CosmosMemoryQueries.Search("p1", SearchQuery(keyword: true, text: "?!"));

        Assert.EndsWith("ORDER BY VectorDistance(c.embedding, @vector)", query.QueryText, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_IncludeExpired_OmitsExpiryClause()
    {
        var query = CosmosMemoryQueries.Search("p1", SearchQuery(keyword: false) with { IncludeExpired = true });

        Assert.DoesNotContain("c.expirationDate >= @today", query.QueryText, StringComparison.Ordinal);
        Assert.False(Parameters(query).ContainsKey("@today"));
    }

    [Fact]
    public void List_UsesOrderByCreatedAtWithoutOffsetLimit()
    {
        var query = CosmosMemoryQueries.List("p1", s_alice, includeExpired: false, s_today);

        Assert.StartsWith("SELECT * FROM c WHERE c.projectId = @projectId AND (IS_DEFINED(c.userId)", query.QueryText, StringComparison.Ordinal);
        Assert.EndsWith(" ORDER BY c.createdAt DESC", query.QueryText, StringComparison.Ordinal);
        Assert.DoesNotContain("OFFSET", query.QueryText, StringComparison.Ordinal);
        Assert.DoesNotContain("LIMIT", query.QueryText, StringComparison.Ordinal);
    }

    [Fact]
    public void List_MatchAllFilter_HasOnlyProjectAndExpiryGuards()
    {
        var query = CosmosMemoryQueries.List("p1", FilterNode.All, includeExpired: true, s_today);

        Assert.Equal("SELECT * FROM c WHERE c.projectId = @projectId ORDER BY c.createdAt DESC", query.QueryText);
    }

    [Fact]
    public void Count_SelectsValueCount()
    {
        var query = CosmosMemoryQueries.Count("p1", s_alice, includeExpired: true, s_today);

        Assert.Equal("SELECT VALUE COUNT(1) FROM c WHERE c.projectId = @projectId AND (IS_DEFINED(c.userId) AND c.userId = @f0)", query.QueryText);
    }

    [Fact]
    public void Entities_GroupsByEntityPathWithCounts()
    {
        var query = CosmosMemoryQueries.Entities("p1", EntityType.Agent);

        Assert.Equal(
            "SELECT c.agentId AS name, COUNT(1) AS total, MIN(c.createdAt) AS createdAt, MAX(c.updatedAt) AS updatedAt FROM c "
            + "WHERE c.projectId = @projectId AND IS_DEFINED(c.agentId) AND NOT IS_NULL(c.agentId) GROUP BY c.agentId",
            query.QueryText);
    }

    [Fact]
    public void FindByHash_AppScope_RequiresOtherIdsAbsent()
    {
        var query = CosmosMemoryQueries.FindByHash("p1", new MemoryScope(AppId: "app"), ["h1"]);

        Assert.Contains("c.appId = @appId", query.QueryText, StringComparison.Ordinal);
        Assert.Contains("(NOT IS_DEFINED(c.userId) OR IS_NULL(c.userId))", query.QueryText, StringComparison.Ordinal);
        Assert.Equal("app", Parameters(query)["@appId"]);
    }

    [Fact]
    public void SinglePartitionOwner_UserEqualityInTopLevelAnd_ReturnsUser()
    {
        var filter = new AndFilter([new ConditionFilter(FilterField.Of(FilterFieldKind.AgentId), FilterOperator.Eq, new StringValue("a")), s_alice]);

        Assert.Equal("alice", CosmosMemoryQueries.SinglePartitionOwner(filter));
    }

    [Fact]
    public void SinglePartitionOwner_UserInsideOr_ReturnsNull()
    {
        var filter = new OrFilter([s_alice, new ConditionFilter(FilterField.Of(FilterFieldKind.UserId), FilterOperator.Eq, new StringValue("bob"))]);

        Assert.Null(CosmosMemoryQueries.SinglePartitionOwner(filter));
        Assert.Null(CosmosMemoryQueries.SinglePartitionOwner(new NotFilter(s_alice)));
    }

    [Fact]
    public void KeywordTerms_LowerCasesDeduplicatesAndBounds()
    {
        Assert.Equal(["green", "tea", "42"], CosmosMemoryQueries.KeywordTerms("Green TEA, the green 42!"));
        Assert.Equal(CosmosMemoryQueries.MaxKeywordTerms, CosmosMemoryQueries.KeywordTerms(string.Join(' ', Enumerable.Range(0, 40).Select(i => "w" + i))).Count);
    }

    private static MemorySearchQuery Dated(string text = "What did Caroline paint in July 2023?", int topK = 10) => SearchQuery(keyword: false) with
    {
        QueryText = text,
        Signals = SearchSignals.All,
        TopK = topK,
    };

    private static (MemoryRecord Memory, double Score) Hit(int i, DateTimeOffset createdAt) => (
        CosmosMemoryStoreTests.Record("m" + i) with { CreatedAt = createdAt, UpdatedAt = createdAt },
        0.9 - (i * 0.01));

    private static readonly DateTimeOffset s_inJuly2023 = new(2023, 7, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_inMay2024 = new(2024, 5, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PlanSearch_DatedQuery_ReadsTheCandidateDepthAndKeepsThePeriod()
    {
        var plan = CosmosMemoryQueries.PlanSearch("p1", Dated());

        Assert.Equal(HybridRanking.CandidateDepth(10), Parameters(plan.Query)["@k"]);
        Assert.Equal(50, Parameters(plan.Query)["@k"]);
        Assert.Equal(10, plan.TopK);
        Assert.NotNull(plan.Time);
        Assert.True(plan.Time.Contains(s_inJuly2023));
        Assert.False(plan.Time.Contains(s_inMay2024));

        // The period is not a filter.
        var where = plan.Query.QueryText[plan.Query.QueryText.IndexOf(" FROM c WHERE ", StringComparison.Ordinal)..];
        Assert.DoesNotContain("createdAt", where, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanSearch_Weights_AreTheLocalOnesWithTheQueryLegsSummed()
    {
        var defaults = HybridRanking.DefaultWeights;

        var plan = CosmosMemoryQueries.PlanSearch("p1", Dated());

        // The terms and the entity (Caroline) are both fused inside the query.
        Assert.EndsWith("[1, 1, 0.5])", plan.Query.QueryText, StringComparison.Ordinal);
        Assert.Equal(defaults.Vector + defaults.Keyword + defaults.Entity, plan.Weights.Vector, 9);
        Assert.Equal(defaults.Time, plan.Weights.Time);
        Assert.Equal(defaults.K, plan.Weights.K);
    }

    [Theory]
    [InlineData(SearchSignals.Vector | SearchSignals.Keyword | SearchSignals.Entity, "What did Caroline paint in July 2023?")]
    [InlineData(SearchSignals.All, "What did Caroline paint?")]
    public void PlanSearch_NoTimeLeg_ReadsTopKOnly(SearchSignals signals, string text)
    {
        var plan = CosmosMemoryQueries.PlanSearch("p1", Dated(text) with { Signals = signals });

        Assert.Null(plan.Time);
        Assert.Equal(10, Parameters(plan.Query)["@k"]);
    }

    [Fact]
    public void Rank_DatedQuery_MovesTheInPeriodMemoryUpAndDropsNoOther()
    {
        var hits = Enumerable.Range(0, 12).Select(i => Hit(i, i == 9 ? s_inJuly2023 : s_inMay2024)).ToList();
        var plan = CosmosMemoryQueries.PlanSearch("p1", Dated(topK: 12));

        var ranked = CosmosMemoryQueries.Rank(plan, hits);

        // Fused rank 10 of 12 (2.5 / 20) plus the time leg's first place (1.5 / 11) beats fused rank 1 (2.5 / 11).
        Assert.Equal("m9", ranked[0].Memory.Id);
        Assert.Equal(hits.Where(h => h.Memory.Id != "m9").Select(h => h.Memory.Id), ranked.Skip(1).Select(h => h.Memory.Id));
        Assert.Equal(0.81, ranked[0].Score, 5);
    }

    [Fact]
    public void Rank_DatedQuery_TopKKeepsOutOfPeriodHitsInFusedOrder()
    {
        var hits = Enumerable.Range(0, 12).Select(i => Hit(i, i == 9 ? s_inJuly2023 : s_inMay2024)).ToList();

        var ranked = CosmosMemoryQueries.Rank(CosmosMemoryQueries.PlanSearch("p1", Dated(topK: 5)), hits);

        Assert.Equal(["m9", "m0", "m1", "m2", "m3"], ranked.Select(h => h.Memory.Id));
    }

    [Fact]
    public void Rank_PeriodHoldingEveryHit_KeepsTheFusedOrder()
    {
        var hits = Enumerable.Range(0, 6).Select(i => Hit(5 - i, s_inJuly2023)).ToList();

        var ranked = CosmosMemoryQueries.Rank(CosmosMemoryQueries.PlanSearch("p1", Dated(topK: 6)), hits);

        Assert.Equal(hits.Select(h => h.Memory.Id), ranked.Select(h => h.Memory.Id));
    }

    [Fact]
    public void Rank_Undated_TakesTopKInQueryOrderWithClampedScores()
    {
        var hits = new List<(MemoryRecord, double)> { Hit(0, s_inMay2024), (Hit(1, s_inMay2024).Memory, 1.3), (Hit(2, s_inMay2024).Memory, -0.2) };

        var ranked = CosmosMemoryQueries.Rank(CosmosMemoryQueries.PlanSearch("p1", Dated("tea") with { TopK = 2 }), hits);

        Assert.Equal(["m0", "m1"], ranked.Select(h => h.Memory.Id));
        Assert.Equal(1.0, ranked[1].Score);
    }

    private static readonly DateTimeOffset s_turn = new(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);

    private static MemoryRecord Turn(string id, TimeSpan offset, string user = "alice") =>
        CosmosMemoryStoreTests.Record(id, user) with { CreatedAt = s_turn + offset, UpdatedAt = s_turn + offset };

    [Fact]
    public void Neighbours_PinsBothReadsToTheAnchorsScopeWindowFilterAndModel()
    {
        var anchor = CosmosMemoryStoreTests.Record("a1", "alice") with
        {
            Scope = new MemoryScope(UserId: "alice", RunId: "r1"),
            CreatedAt = s_turn,
            UpdatedAt = s_turn,
        };

        var (before, after) = CosmosMemoryQueries.Neighbours("p1", SearchQuery(keyword: true), anchor, perSide: 2, TimeSpan.FromHours(1));

        var common = "SELECT TOP @n " + CosmosMemoryQueries.MemoryFields + ", VectorDistance(c.embedding, @vector) AS score FROM c WHERE c.projectId = @projectId "
            + "AND (IS_DEFINED(c.userId) AND c.userId = @f0) AND (NOT IS_DEFINED(c.expirationDate) OR IS_NULL(c.expirationDate) OR c.expirationDate >= @today) "
            + "AND c.embeddingModel = @embeddingModel AND ";
        var scope = " AND c.userId = @scopeUserId AND (NOT IS_DEFINED(c.agentId) OR IS_NULL(c.agentId)) "
            + "AND (NOT IS_DEFINED(c.appId) OR IS_NULL(c.appId)) AND c.runId = @scopeRunId";
        Assert.Equal(common + "c.createdAt >= @from AND c.createdAt <= @at" + scope + " ORDER BY c.createdAt DESC", before.QueryText);
        Assert.Equal(common + "c.createdAt >= @at AND c.createdAt <= @to" + scope + " ORDER BY c.createdAt ASC", after.QueryText);

        var b = Parameters(before);
        Assert.Equal(3, b["@n"]);
        Assert.Equal("2023-05-08T12:56:00.0000000Z", b["@from"]);
        Assert.Equal("2023-05-08T13:56:00.0000000Z", b["@at"]);
        Assert.Equal("alice", b["@scopeUserId"]);
        Assert.Equal("r1", b["@scopeRunId"]);
        Assert.Equal("alice", b["@f0"]);
        Assert.Equal("p1", b["@projectId"]);
        Assert.Equal("2025-06-01", b["@today"]);
        Assert.Equal("m", b["@embeddingModel"]);
        Assert.Equal(new[] { 0.1f, 0.2f }, b["@vector"]);
        Assert.False(b.ContainsKey("@to"));
        var a = Parameters(after);
        Assert.Equal("2023-05-08T14:56:00.0000000Z", a["@to"]);
        Assert.Equal("2023-05-08T13:56:00.0000000Z", a["@at"]);
        Assert.False(a.ContainsKey("@from"));
    }

    [Theory]
    [InlineData(SearchSignals.All, "what did she adopt", true)]
    [InlineData(SearchSignals.All & ~SearchSignals.Neighbour, "what did she adopt", false)]
    [InlineData(SearchSignals.All, " ", false)]
    public void PlanSearch_FollowsNeighboursOnlyForTextWithTheSignal(SearchSignals signals, string text, bool expected)
    {
        var plan = CosmosMemoryQueries.PlanSearch("p1", SearchQuery(keyword: true) with { Signals = signals, QueryText = text });

        Assert.Equal(expected, plan.FollowsNeighbours);
    }

    [Fact]
    public void NeighboursOf_TakesTheNearestOnEachSideAndDropsTheAnchorOtherScopesAndFarTurns()
    {
        var anchor = Turn("a1", TimeSpan.Zero);
        List<(MemoryRecord, double)> before =
        [
            (anchor, 0.9),
            (Turn("b1", TimeSpan.FromMinutes(-1)), 0.1),
            (Turn("a0", TimeSpan.Zero), 0.1),          // same instant, smaller id: before the anchor
            (Turn("b3", TimeSpan.FromMinutes(-3)), 0.1),
            (Turn("far", TimeSpan.FromHours(-2)), 0.1),
        ];
        List<(MemoryRecord, double)> after =
        [
            (anchor, 0.9),
            (Turn("c2", TimeSpan.FromMinutes(2)), 0.2),
            (Turn("bob1", TimeSpan.FromMinutes(1), user: "bob"), 0.1),
            (Turn("c1", TimeSpan.FromMinutes(1)), 0.3),
        ];

        var hits = CosmosMemoryQueries.NeighboursOf(anchor, before, after, perSide: 2, TimeSpan.FromHours(1));

        Assert.Equal(["a0", "b1", "c1", "c2"], hits.Select(h => h.Memory.Id));
        Assert.All(hits, h => Assert.Equal("a1", h.AnchorId));
        Assert.Equal(0.3f, hits[2].Score);
    }

    [Fact]
    public void Anchors_AreTheBestFusedCandidates()
    {
        var hits = Enumerable.Range(0, 6).Select(i => Hit(i, s_inMay2024)).ToList();

        Assert.Equal(["m0", "m1", "m2"], CosmosMemoryQueries.Anchors(CosmosMemoryQueries.PlanSearch("p1", Dated("what did she adopt")), hits).Select(m => m.Id));
        Assert.Empty(CosmosMemoryQueries.Anchors(CosmosMemoryQueries.PlanSearch("p1", Dated("what did she adopt") with { Signals = SearchSignals.Vector }), hits));
    }

    [Fact]
    public void Rank_WithNeighbours_LiftsTheAnchorsNeighbourToJustBelowIt()
    {
        var hits = Enumerable.Range(0, 12).Select(i => Hit(i, s_inMay2024)).ToList();
        var plan = CosmosMemoryQueries.PlanSearch("p1", Dated("what did she adopt", topK: 5));
        var neighbour = hits[11].Memory;

        var plain = CosmosMemoryQueries.Rank(plan, hits);
        var ranked = CosmosMemoryQueries.Rank(plan, hits, [new NeighbourHit("m0", neighbour, 0.79f)]);

        Assert.DoesNotContain(plain, h => h.Memory.Id == "m11");
        Assert.Equal(["m0", "m11", "m1", "m2", "m3"], ranked.Select(h => h.Memory.Id));
    }

    [Fact]
    public void Rank_NeighbourOfTheBestHit_NeverPassesIt()
    {
        // m1 is both the second hit and the best hit's neighbour: with a higher similarity than its anchor, an uncapped
        // boost would tie it with the anchor and the tie-break on similarity would put it first.
        var hits = new List<(MemoryRecord Memory, double Score)> { Hit(0, s_inMay2024), (Hit(1, s_inMay2024).Memory, 0.99) };
        var plan = CosmosMemoryQueries.PlanSearch("p1", Dated("what did she adopt", topK: 2));

        var ranked = CosmosMemoryQueries.Rank(plan, hits, [new NeighbourHit("m0", hits[1].Memory, 0.99f), new NeighbourHit("m1", hits[0].Memory, 0.9f)]);

        Assert.Equal(["m0", "m1"], ranked.Select(h => h.Memory.Id));
    }
}
