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
}
