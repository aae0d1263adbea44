using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;

namespace Mem0.Core.Tests.Filters;

public class FilterEvaluatorTests
{
    private static readonly DateTimeOffset Created = new(2024, 3, 5, 10, 0, 0, TimeSpan.Zero);

    private static MemoryRecord Memory(
        string text = "I drink Coffee every morning",
        string? metadata = """{"topic":"drinks","level":5,"score":"10","tags":["a","B"],"flag":true,"nested":{"x":{"y":2}},"nothing":null}""",
        string[]? categories = null,
        MemoryScope? scope = null) => new()
        {
            Id = "m1",
            ProjectId = "p",
            Text = text,
            Hash = "h",
            Embedding = [1f],
            EmbeddingModel = "test",
            Scope = scope ?? new MemoryScope(UserId: "alice", AgentId: "bot"),
            Metadata = metadata is null ? null : JsonDocument.Parse(metadata).RootElement.Clone(),
            Categories = categories ?? ["Food", "health"],
            CreatedAt = Created,
            UpdatedAt = Created.AddDays(2),
        };

    private static bool Eval(string filter, MemoryRecord? memory = null) =>
        FilterEvaluator.Matches(FilterParser.Parse(filter), memory ?? Memory());

    [Theory]
    [InlineData("""{}""", true)]
    [InlineData("""{"user_id":"alice"}""", true)]
    [InlineData("""{"user_id":"bob"}""", false)]
    [InlineData("""{"user_id":"Alice"}""", false)]
    [InlineData("""{"user_id":{"ne":"bob"}}""", true)]
    [InlineData("""{"user_id":{"ne":"alice"}}""", false)]
    [InlineData("""{"run_id":{"ne":"r"}}""", true)]
    [InlineData("""{"user_id":{"in":["x","alice"]}}""", true)]
    [InlineData("""{"user_id":["x","y"]}""", false)]
    [InlineData("""{"user_id":{"nin":["x"]}}""", true)]
    [InlineData("""{"user_id":{"nin":["alice"]}}""", false)]
    [InlineData("""{"run_id":{"nin":["x"]}}""", true)]
    [InlineData("""{"run_id":{"in":["x"]}}""", false)]
    [InlineData("""{"user_id":{"contains":"lic"}}""", true)]
    [InlineData("""{"user_id":{"contains":"LIC"}}""", false)]
    [InlineData("""{"user_id":{"icontains":"LIC"}}""", true)]
    [InlineData("""{"agent_id":"*"}""", true)]
    [InlineData("""{"app_id":"*"}""", false)]
    [InlineData("""{"run_id":null}""", true)]
    [InlineData("""{"user_id":null}""", false)]
    [InlineData("""{"user_id":{"ne":null}}""", true)]
    public void Matches_ScopeIds(string filter, bool expected)
    {
        Assert.Equal(expected, Eval(filter));
    }

    [Theory]
    [InlineData("""{"created_at":{"gte":"2024-03-05"}}""", true)]
    [InlineData("""{"created_at":{"gt":"2024-03-05T10:00:00Z"}}""", false)]
    [InlineData("""{"created_at":{"gte":"2024-03-05T10:00:00Z"}}""", true)]
    [InlineData("""{"created_at":{"lt":"2024-03-06"}}""", true)]
    [InlineData("""{"created_at":{"lte":"2024-03-05T09:59:59Z"}}""", false)]
    [InlineData("""{"created_at":"2024-03-05T10:00:00Z"}""", true)]
    [InlineData("""{"created_at":{"eq":1709632800}}""", true)]
    [InlineData("""{"created_at":{"ne":1709632800}}""", false)]
    [InlineData("""{"created_at":{"in":["2024-03-05T10:00:00Z"]}}""", true)]
    [InlineData("""{"created_at":{"nin":["2024-03-05T10:00:00Z"]}}""", false)]
    [InlineData("""{"updated_at":{"gt":"2024-03-06"}}""", true)]
    [InlineData("""{"updated_at":{"lt":"2024-03-06"}}""", false)]
    [InlineData("""{"created_at":"*"}""", true)]
    public void Matches_Times(string filter, bool expected)
    {
        Assert.Equal(expected, Eval(filter));
    }

    [Theory]
    [InlineData("""{"categories":{"in":["sports","food"]}}""", true)]
    [InlineData("""{"categories":["sports"]}""", false)]
    [InlineData("""{"categories":{"contains":"FOOD"}}""", true)]
    [InlineData("""{"categories":{"icontains":"Health"}}""", true)]
    [InlineData("""{"categories":{"contains":"foo"}}""", false)]
    [InlineData("""{"categories":"food"}""", true)]
    [InlineData("""{"categories":{"ne":"food"}}""", false)]
    [InlineData("""{"categories":{"ne":"sports"}}""", true)]
    [InlineData("""{"categories":{"nin":["sports"]}}""", true)]
    [InlineData("""{"categories":{"nin":["health"]}}""", false)]
    [InlineData("""{"categories":"*"}""", true)]
    public void Matches_Categories(string filter, bool expected)
    {
        Assert.Equal(expected, Eval(filter));
    }

    [Fact]
    public void Matches_CategoriesWildcardOnEmpty_False()
    {
        Assert.False(Eval("""{"categories":"*"}""", Memory(categories: [])));
    }

    [Theory]
    [InlineData("""{"metadata":{"topic":"drinks"}}""", true)]
    [InlineData("""{"metadata":{"topic":"Drinks"}}""", false)]
    [InlineData("""{"metadata":{"topic":{"ne":"food"}}}""", true)]
    [InlineData("""{"metadata":{"missing":{"ne":"food"}}}""", true)]
    [InlineData("""{"metadata":{"missing":"food"}}""", false)]
    [InlineData("""{"metadata":{"level":5}}""", true)]
    [InlineData("""{"metadata":{"level":"5"}}""", false)]
    [InlineData("""{"metadata":{"level":{"gt":4}}}""", true)]
    [InlineData("""{"metadata":{"level":{"gte":5}}}""", true)]
    [InlineData("""{"metadata":{"level":{"lt":5}}}""", false)]
    [InlineData("""{"metadata":{"level":{"lte":5.0}}}""", true)]
    [InlineData("""{"metadata":{"score":{"gt":9}}}""", false)]
    [InlineData("""{"metadata":{"score":{"gt":"09"}}}""", true)]
    [InlineData("""{"metadata":{"missing":{"gt":1}}}""", false)]
    [InlineData("""{"metadata":{"level":{"in":[1,5]}}}""", true)]
    [InlineData("""{"metadata":{"level":[1,2]}}""", false)]
    [InlineData("""{"metadata":{"level":{"nin":[1,2]}}}""", true)]
    [InlineData("""{"metadata":{"missing":{"nin":[1]}}}""", true)]
    [InlineData("""{"metadata":{"topic":{"contains":"rin"}}}""", true)]
    [InlineData("""{"metadata":{"topic":{"contains":"RIN"}}}""", false)]
    [InlineData("""{"metadata":{"topic":{"icontains":"RIN"}}}""", true)]
    [InlineData("""{"metadata":{"tags":{"contains":"a"}}}""", true)]
    [InlineData("""{"metadata":{"tags":{"contains":"b"}}}""", false)]
    [InlineData("""{"metadata":{"tags":{"icontains":"b"}}}""", true)]
    [InlineData("""{"metadata":{"flag":true}}""", true)]
    [InlineData("""{"metadata":{"flag":false}}""", false)]
    [InlineData("""{"metadata":{"nested":{"x":{"y":2}}}}""", true)]
    [InlineData("""{"metadata.nested.x.y":{"gte":2}}""", true)]
    [InlineData("""{"metadata.nested.x.z":"*"}""", false)]
    [InlineData("""{"metadata":{"topic":"*"}}""", true)]
    [InlineData("""{"metadata":{"nothing":"*"}}""", false)]
    [InlineData("""{"metadata":{"nothing":null}}""", true)]
    [InlineData("""{"metadata":{"missing":null}}""", true)]
    [InlineData("""{"metadata":{"topic":{"ne":null}}}""", true)]
    [InlineData("""{"metadata":{"topic":"drinks","level":6}}""", false)]
    public void Matches_Metadata(string filter, bool expected)
    {
        Assert.Equal(expected, Eval(filter));
    }

    [Fact]
    public void Matches_MetadataOnMemoryWithoutMetadata_OnlyNegativesMatch()
    {
        var memory = Memory(metadata: null);
        Assert.False(Eval("""{"metadata":{"topic":"drinks"}}""", memory));
        Assert.True(Eval("""{"metadata":{"topic":{"ne":"drinks"}}}""", memory));
    }

    [Theory]
    [InlineData("""{"keywords":"Coffee"}""", true)]
    [InlineData("""{"keywords":"coffee"}""", false)]
    [InlineData("""{"keywords":{"icontains":"coffee"}}""", true)]
    [InlineData("""{"text":{"contains":"tea"}}""", false)]
    [InlineData("""{"keywords":{"eq":"I drink Coffee every morning"}}""", true)]
    [InlineData("""{"keywords":{"ne":"I drink Coffee every morning"}}""", false)]
    [InlineData("""{"memory_ids":["m0","m1"]}""", true)]
    [InlineData("""{"memory_ids":{"nin":["m1"]}}""", false)]
    [InlineData("""{"memory_ids":{"eq":"m2"}}""", false)]
    [InlineData("""{"memory_ids":{"ne":"m2"}}""", true)]
    public void Matches_TextAndIds(string filter, bool expected)
    {
        Assert.Equal(expected, Eval(filter));
    }

    [Theory]
    [InlineData("""{"AND":[{"user_id":"alice"},{"agent_id":"bot"}]}""", true)]
    [InlineData("""{"AND":[{"user_id":"alice"},{"agent_id":"x"}]}""", false)]
    [InlineData("""{"OR":[{"user_id":"x"},{"agent_id":"bot"}]}""", true)]
    [InlineData("""{"OR":[{"user_id":"x"},{"agent_id":"y"}]}""", false)]
    [InlineData("""{"NOT":{"user_id":"alice"}}""", false)]
    [InlineData("""{"NOT":[{"user_id":"x"},{"agent_id":"y"}]}""", true)]
    [InlineData("""{"NOT":[{"user_id":"x"},{"agent_id":"bot"}]}""", false)]
    [InlineData("""{"user_id":"alice","OR":[{"metadata":{"level":{"gt":10}}},{"NOT":{"categories":{"in":["sports"]}}}]}""", true)]
    public void Matches_Logical(string filter, bool expected)
    {
        Assert.Equal(expected, Eval(filter));
    }

    [Fact]
    public void Matches_HandBuiltUnsupportedCombination_Throws()
    {
        var node = new ConditionFilter(FilterField.Of(FilterFieldKind.UserId), FilterOperator.Gt, new StringValue("a"));
        var error = Assert.Throws<FilterValidationException>(() => FilterEvaluator.Matches(node, Memory()));
        Assert.Equal("filters.user_id", error.Field);
    }

    [Fact]
    public void Matches_InWithoutList_Throws()
    {
        var node = new ConditionFilter(FilterField.Of(FilterFieldKind.AgentId), FilterOperator.In, new StringValue("a"));
        Assert.Throws<FilterValidationException>(() => FilterEvaluator.Matches(node, Memory()));
    }
}
