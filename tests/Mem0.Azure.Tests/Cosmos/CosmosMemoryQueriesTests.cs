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
}
