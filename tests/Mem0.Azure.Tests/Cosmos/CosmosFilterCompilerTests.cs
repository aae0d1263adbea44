using Mem0.Azure.Cosmos;
using Mem0.Core.Common;
using Mem0.Core.Filters;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class CosmosFilterCompilerTests
{
    private static ConditionFilter Cond(FilterFieldKind kind, FilterOperator op, FilterValue value) => new(FilterField.Of(kind), op, value);

    private static ConditionFilter Meta(FilterOperator op, FilterValue value, params string[] path) => new(FilterField.Metadata(path), op, value);

    private static StringValue S(string s) => new(s);

    private static ListValue L(params string[] items) => new(items.Select(i => (FilterValue)new StringValue(i)).ToList());

    public static TheoryData<FilterOperator, FilterValue, string> UserIdCases => new()
    {
        { FilterOperator.Eq, S("alice"), "(IS_DEFINED(c.userId) AND c.userId = @f0)" },
        { FilterOperator.Ne, S("alice"), "(NOT (IS_DEFINED(c.userId) AND NOT IS_NULL(c.userId)) OR c.userId != @f0)" },
        { FilterOperator.In, L("a", "b"), "(IS_DEFINED(c.userId) AND ARRAY_CONTAINS(@f0, c.userId))" },
        { FilterOperator.Nin, L("a", "b"), "(NOT (IS_DEFINED(c.userId) AND NOT IS_NULL(c.userId)) OR NOT ARRAY_CONTAINS(@f0, c.userId))" },
        { FilterOperator.Contains, S("li"), "(IS_DEFINED(c.userId) AND CONTAINS(c.userId, @f0))" },
        { FilterOperator.IContains, S("LI"), "(IS_DEFINED(c.userId) AND CONTAINS(c.userId, @f0, true))" },
        { FilterOperator.Exists, FilterValue.Null, "(IS_DEFINED(c.userId) AND NOT IS_NULL(c.userId))" },
        { FilterOperator.Eq, FilterValue.Null, "NOT (IS_DEFINED(c.userId) AND NOT IS_NULL(c.userId))" },
    };

    [Theory]
    [MemberData(nameof(UserIdCases))]
    public void Compile_UserIdOperator_EmitsExpectedSql(FilterOperator op, FilterValue value, string expected)
    {
        var fragment = CosmosFilterCompiler.Compile(Cond(FilterFieldKind.UserId, op, value));

        Assert.Equal(expected, fragment.Sql);
    }

    [Fact]
    public void Compile_InList_PassesListAsOneArrayParameter()
    {
        var fragment = CosmosFilterCompiler.Compile(Cond(FilterFieldKind.AgentId, FilterOperator.In, L("a", "b")));

        var parameter = Assert.Single(fragment.Parameters);
        Assert.Equal("@f0", parameter.Key);
        Assert.Equal(new object?[] { "a", "b" }, Assert.IsType<object?[]>(parameter.Value));
    }

    [Theory]
    [InlineData(FilterFieldKind.AgentId, "c.agentId")]
    [InlineData(FilterFieldKind.AppId, "c.appId")]
    [InlineData(FilterFieldKind.RunId, "c.runId")]
    [InlineData(FilterFieldKind.MemoryId, "c.id")]
    [InlineData(FilterFieldKind.Text, "c.memory")]
    public void Compile_StringFields_MapToDocumentPaths(FilterFieldKind kind, string path)
    {
        var fragment = CosmosFilterCompiler.Compile(Cond(kind, FilterOperator.Eq, S("x")));

        Assert.Equal($"(IS_DEFINED({path}) AND {path} = @f0)", fragment.Sql);
        Assert.Equal("x", fragment.Parameters[0].Value);
    }

    [Theory]
    [InlineData(FilterOperator.Gt, ">")]
    [InlineData(FilterOperator.Gte, ">=")]
    [InlineData(FilterOperator.Lt, "<")]
    [InlineData(FilterOperator.Lte, "<=")]
    public void Compile_TimeRange_ComparesFixedWidthUtcStrings(FilterOperator op, string symbol)
    {
        var when = new DateValue(new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(2)));

        var fragment = CosmosFilterCompiler.Compile(Cond(FilterFieldKind.CreatedAt, op, when));

        Assert.Equal($"(IS_DEFINED(c.createdAt) AND c.createdAt {symbol} @f0)", fragment.Sql);
        Assert.Equal("2024-05-01T12:00:00.0000000Z", fragment.Parameters[0].Value);
    }

    [Fact]
    public void Compile_UpdatedAtIn_UsesArrayOfTimes()
    {
        var fragment = CosmosFilterCompiler.Compile(Cond(FilterFieldKind.UpdatedAt, FilterOperator.In,
            new ListValue([new DateValue(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))])));

        Assert.Equal("(IS_DEFINED(c.updatedAt) AND ARRAY_CONTAINS(@f0, c.updatedAt))", fragment.Sql);
        Assert.Equal(new object?[] { "2024-01-01T00:00:00.0000000Z" }, (object?[])fragment.Parameters[0].Value!);
    }

    [Fact]
    public void Compile_CategoriesContains_CaseInsensitiveExistsSubquery()
    {
        var fragment = CosmosFilterCompiler.Compile(Cond(FilterFieldKind.Categories, FilterOperator.Contains, S("Food")));

        Assert.Equal("(IS_ARRAY(c.categories) AND EXISTS(SELECT VALUE cat FROM cat IN c.categories WHERE STRINGEQUALS(cat, @f0, true)))", fragment.Sql);
        Assert.Equal("Food", fragment.Parameters[0].Value);
    }

    [Fact]
    public void Compile_CategoriesIn_LowerCasesValuesAndComparesLowerCategory()
    {
        var fragment = CosmosFilterCompiler.Compile(Cond(FilterFieldKind.Categories, FilterOperator.In, L("Food", "TRAVEL")));

        Assert.Equal("(IS_ARRAY(c.categories) AND EXISTS(SELECT VALUE cat FROM cat IN c.categories WHERE ARRAY_CONTAINS(@f0, LOWER(cat))))", fragment.Sql);
        Assert.Equal(new[] { "food", "travel" }, (string[])fragment.Parameters[0].Value!);
    }

    [Fact]
    public void Compile_CategoriesNin_NegatesAnyOf()
    {
        var fragment = CosmosFilterCompiler.Compile(Cond(FilterFieldKind.Categories, FilterOperator.Nin, L("food")));

        Assert.StartsWith("NOT (IS_ARRAY(c.categories) AND EXISTS(", fragment.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_CategoriesExists_RequiresNonEmptyArray()
    {
        var fragment = CosmosFilterCompiler.Compile(Cond(FilterFieldKind.Categories, FilterOperator.Exists, FilterValue.Null));

        Assert.Equal("(IS_DEFINED(c.categories) AND ARRAY_LENGTH(c.categories) > 0)", fragment.Sql);
    }

    [Fact]
    public void Compile_CategoriesGt_IsRejected()
    {
        var error = Assert.Throws<FilterValidationException>(() =>
            CosmosFilterCompiler.Compile(Cond(FilterFieldKind.Categories, FilterOperator.Gt, S("a"))));

        Assert.Equal("filters.categories", error.Field);
    }

    [Fact]
    public void Compile_NestedMetadataPath_UsesBracketedLiteralKeys()
    {
        var fragment = CosmosFilterCompiler.Compile(Meta(FilterOperator.Eq, new NumberValue(3), "a", "b"));

        Assert.Equal("""(IS_DEFINED(c.metadata["a"]["b"]) AND c.metadata["a"]["b"] = @f0)""", fragment.Sql);
        Assert.Equal(3.0, fragment.Parameters[0].Value);
    }

    [Fact]
    public void Compile_MetadataKeyWithQuote_IsEscapedInsideTheLiteral()
    {
        var fragment = CosmosFilterCompiler.Compile(Meta(FilterOperator.Exists, FilterValue.Null, "x\"] OR 1=1 --"));

        Assert.DoesNotContain("\"] OR", fragment.Sql, StringComparison.Ordinal);
        Assert.Contains("c.metadata[\"x\\u0022] OR 1=1 --\"]", fragment.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_MetadataContains_HandlesStringsAndArrays()
    {
        var fragment = CosmosFilterCompiler.Compile(Meta(FilterOperator.Contains, S("tea"), "topic"));

        Assert.Equal("""((IS_STRING(c.metadata["topic"]) AND CONTAINS(c.metadata["topic"], @f0)) OR (IS_ARRAY(c.metadata["topic"]) AND ARRAY_CONTAINS(c.metadata["topic"], @f0)))""", fragment.Sql);
    }

    [Fact]
    public void Compile_MetadataIContains_IgnoresCase()
    {
        var fragment = CosmosFilterCompiler.Compile(Meta(FilterOperator.IContains, S("TEA"), "topic"));

        Assert.Contains("""CONTAINS(c.metadata["topic"], @f0, true)""", fragment.Sql, StringComparison.Ordinal);
        Assert.Contains("STRINGEQUALS(v, @f0, true)", fragment.Sql, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FilterOperator.Gt, ">")]
    [InlineData(FilterOperator.Lte, "<=")]
    public void Compile_MetadataRange_ComparesValue(FilterOperator op, string symbol)
    {
        var fragment = CosmosFilterCompiler.Compile(Meta(op, new NumberValue(2), "n"));

        Assert.Equal($"""(IS_DEFINED(c.metadata["n"]) AND c.metadata["n"] {symbol} @f0)""", fragment.Sql);
    }

    [Fact]
    public void Compile_MetadataBool_PassesBoolParameter()
    {
        var fragment = CosmosFilterCompiler.Compile(Meta(FilterOperator.Ne, new BoolValue(true), "done"));

        Assert.Equal("""(NOT (IS_DEFINED(c.metadata["done"]) AND NOT IS_NULL(c.metadata["done"])) OR c.metadata["done"] != @f0)""", fragment.Sql);
        Assert.Equal(true, fragment.Parameters[0].Value);
    }

    [Fact]
    public void Compile_MetadataWithoutKey_IsRejected()
    {
        Assert.Throws<FilterValidationException>(() => CosmosFilterCompiler.Compile(Meta(FilterOperator.Eq, S("x"))));
    }

    [Fact]
    public void Compile_IdRange_IsRejectedWithFieldLocation()
    {
        var filter = new AndFilter([Cond(FilterFieldKind.UserId, FilterOperator.Eq, S("u")), Cond(FilterFieldKind.RunId, FilterOperator.Gt, S("r"))]);

        var error = Assert.Throws<FilterValidationException>(() => CosmosFilterCompiler.Compile(filter));

        Assert.Equal("filters.AND[1].run_id", error.Field);
    }

    [Fact]
    public void Compile_NestedAndOrNot_ParenthesizesAndNumbersParametersInOrder()
    {
        var filter = new AndFilter(
        [
            Cond(FilterFieldKind.UserId, FilterOperator.Eq, S("u")),
            new OrFilter([Cond(FilterFieldKind.AgentId, FilterOperator.Eq, S("a")), Cond(FilterFieldKind.RunId, FilterOperator.Eq, S("r"))]),
            new NotFilter(Meta(FilterOperator.Eq, S("x"), "k")),
        ]);

        var fragment = CosmosFilterCompiler.Compile(filter);

        Assert.Equal(
            "((IS_DEFINED(c.userId) AND c.userId = @f0) AND ((IS_DEFINED(c.agentId) AND c.agentId = @f1) OR (IS_DEFINED(c.runId) AND c.runId = @f2)) AND "
            + """NOT IIF((IS_DEFINED(c.metadata["k"]) AND c.metadata["k"] = @f3), true, false))""",
            fragment.Sql);
        Assert.Equal(["@f0", "@f1", "@f2", "@f3"], fragment.Parameters.Select(p => p.Key));
        Assert.Equal(["u", "a", "r", "x"], fragment.Parameters.Select(p => (string)p.Value!));
    }

    [Fact]
    public void Compile_EmptyAndAndOr_AreTrueAndFalse()
    {
        Assert.Equal("true", CosmosFilterCompiler.Compile(FilterNode.All).Sql);
        Assert.Equal("false", CosmosFilterCompiler.Compile(new OrFilter([])).Sql);
    }

    [Fact]
    public void Compile_CustomPrefix_NamesParameters()
    {
        var fragment = CosmosFilterCompiler.Compile(Cond(FilterFieldKind.UserId, FilterOperator.Eq, S("u")), "q");

        Assert.Equal("@q0", fragment.Parameters[0].Key);
    }

    [Fact]
    public void Compile_ParsedWireFilter_CompilesEveryBranch()
    {
        using var json = System.Text.Json.JsonDocument.Parse("""
            {"AND":[{"user_id":"u1"},{"OR":[{"categories":{"in":["food"]}},{"metadata":{"topic":{"icontains":"TEA"}}}]},{"NOT":[{"run_id":"r"}]}]}
            """);

        var fragment = CosmosFilterCompiler.Compile(FilterParser.Parse(json.RootElement));

        Assert.Contains("c.userId = @f0", fragment.Sql, StringComparison.Ordinal);
        Assert.Contains("LOWER(cat)", fragment.Sql, StringComparison.Ordinal);
        Assert.Contains("NOT IIF(", fragment.Sql, StringComparison.Ordinal);
    }
}
