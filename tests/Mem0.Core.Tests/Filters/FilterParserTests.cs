using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;

namespace Mem0.Core.Tests.Filters;

public class FilterParserTests
{
    private static string P(string json) => FilterFormatter.Format(FilterParser.Parse(json));

    private static FilterValidationException Fails(string json) =>
        Assert.Throws<FilterValidationException>(() => FilterParser.Parse(json));

    [Fact]
    public void Parse_EmptyObject_ReturnsAll()
    {
        Assert.Same(FilterNode.All, FilterParser.Parse("{}"));
    }

    [Fact]
    public void Parse_NullElement_ReturnsAll()
    {
        Assert.Same(FilterNode.All, FilterParser.Parse(default(JsonElement)));
    }

    [Fact]
    public void Parse_BareCondition_IsEquality()
    {
        Assert.Equal("user_id eq \"u\"", P("""{"user_id":"u"}"""));
    }

    [Theory]
    [InlineData("userId", "user_id")]
    [InlineData("agentId", "agent_id")]
    [InlineData("appId", "app_id")]
    [InlineData("runId", "run_id")]
    [InlineData("agent_id", "agent_id")]
    [InlineData("app_id", "app_id")]
    [InlineData("run_id", "run_id")]
    public void Parse_ScopeIdAndAlias_MapsToWireField(string key, string wire)
    {
        Assert.Equal($"{wire} eq \"x\"", P($$"""{"{{key}}":"x"}"""));
    }

    [Fact]
    public void Parse_SiblingKeys_ImplicitAnd()
    {
        Assert.Equal("and(user_id eq \"u\", agent_id eq \"a\")", P("""{"user_id":"u","agent_id":"a"}"""));
    }

    [Fact]
    public void Parse_AndOrNested_KeepsStructure()
    {
        var text = P("""{"AND":[{"user_id":"u"},{"OR":[{"categories":{"in":["food"]}},{"metadata":{"k":"v"}}]}]}""");
        Assert.Equal("and(user_id eq \"u\", or(categories in [\"food\"], metadata.k eq \"v\"))", text);
    }

    [Theory]
    [InlineData("and")]
    [InlineData("$and")]
    public void Parse_LogicalAliases_Accepted(string key)
    {
        Assert.Equal("and(user_id eq \"u\")", P($$"""{"{{key}}":[{"user_id":"u"}]}"""));
    }

    [Fact]
    public void Parse_NotObject_WrapsChild()
    {
        Assert.Equal("not(user_id eq \"u\")", P("""{"NOT":{"user_id":"u"}}"""));
    }

    [Fact]
    public void Parse_NotList_IsNoneOf()
    {
        Assert.Equal("not(or(user_id eq \"a\", user_id eq \"b\"))", P("""{"NOT":[{"user_id":"a"},{"user_id":"b"}]}"""));
    }

    [Fact]
    public void Parse_NotSingleItemList_WrapsChild()
    {
        Assert.Equal("not(categories in [\"x\"])", P("""{"NOT":[{"categories":{"in":["x"]}}]}"""));
    }

    [Theory]
    [InlineData("eq", "\"v\"", "metadata.k eq \"v\"")]
    [InlineData("ne", "\"v\"", "metadata.k ne \"v\"")]
    [InlineData("in", "[\"a\",2]", "metadata.k in [\"a\", 2]")]
    [InlineData("nin", "[true]", "metadata.k nin [true]")]
    [InlineData("gt", "1", "metadata.k gt 1")]
    [InlineData("gte", "1.5", "metadata.k gte 1.5")]
    [InlineData("lt", "\"b\"", "metadata.k lt \"b\"")]
    [InlineData("lte", "3", "metadata.k lte 3")]
    [InlineData("contains", "\"x\"", "metadata.k contains \"x\"")]
    [InlineData("icontains", "\"x\"", "metadata.k icontains \"x\"")]
    public void Parse_MetadataOperator_Parsed(string op, string value, string expected)
    {
        Assert.Equal(expected, P("{\"metadata\":{\"k\":{\"" + op + "\":" + value + "}}}"));
    }

    [Fact]
    public void Parse_MetadataNestedObject_BecomesPath()
    {
        Assert.Equal("metadata.a.b eq 1", P("""{"metadata":{"a":{"b":1}}}"""));
    }

    [Fact]
    public void Parse_MetadataDottedKey_BecomesPath()
    {
        Assert.Equal("metadata.a.b gt 2", P("""{"metadata.a.b":{"gt":2}}"""));
    }

    [Fact]
    public void Parse_MetadataSeveralKeys_ImplicitAnd()
    {
        Assert.Equal("and(metadata.a eq \"x\", metadata.b eq true)", P("""{"metadata":{"a":"x","b":true}}"""));
    }

    [Fact]
    public void Parse_MetadataWildcard_IsExists()
    {
        Assert.Equal("metadata.k *", P("""{"metadata":{"k":"*"}}"""));
    }

    [Fact]
    public void Parse_MetadataNullValue_IsEqualityWithNull()
    {
        Assert.Equal("metadata.k eq null", P("""{"metadata":{"k":null}}"""));
    }

    [Fact]
    public void Parse_BareList_IsIn()
    {
        Assert.Equal("user_id in [\"a\", \"b\"]", P("""{"user_id":["a","b"]}"""));
    }

    [Fact]
    public void Parse_Wildcard_IsExists()
    {
        Assert.Equal("agent_id *", P("""{"agent_id":"*"}"""));
    }

    [Fact]
    public void Parse_SeveralOperatorsOnOneField_ImplicitAnd()
    {
        Assert.Equal(
            "and(created_at gte 2024-01-01T00:00:00.000Z, created_at lt 2024-02-01T00:00:00.000Z)",
            P("""{"created_at":{"gte":"2024-01-01","lt":"2024-02-01"}}"""));
    }

    [Theory]
    [InlineData("\"2024-03-05\"", "2024-03-05T00:00:00.000Z")]
    [InlineData("\"2024-03-05T10:20:30Z\"", "2024-03-05T10:20:30.000Z")]
    [InlineData("\"2024-03-05T10:20:30+02:00\"", "2024-03-05T08:20:30.000Z")]
    [InlineData("\"2024-03-05T10:20:30.123\"", "2024-03-05T10:20:30.123Z")]
    [InlineData("1709634030", "2024-03-05T10:20:30.000Z")]
    [InlineData("\"1709634030\"", "2024-03-05T10:20:30.000Z")]
    public void Parse_TimeValue_BecomesDate(string value, string expected)
    {
        Assert.Equal($"updated_at gt {expected}", P("{\"updated_at\":{\"gt\":" + value + "}}"));
    }

    [Fact]
    public void Parse_TimeIn_ParsesEachItem()
    {
        Assert.Equal("created_at in [2024-01-01T00:00:00.000Z]", P("""{"created_at":{"in":["2024-01-01"]}}"""));
    }

    [Theory]
    [InlineData("keywords")]
    [InlineData("text")]
    public void Parse_KeywordBare_IsContains(string key)
    {
        Assert.Equal("keywords contains \"cof\"", P($$"""{"{{key}}":"cof"}"""));
    }

    [Fact]
    public void Parse_KeywordIContains_Parsed()
    {
        Assert.Equal("keywords icontains \"Cof\"", P("""{"keywords":{"icontains":"Cof"}}"""));
    }

    [Fact]
    public void Parse_MemoryIdsList_IsIn()
    {
        Assert.Equal("memory_ids in [\"m1\", \"m2\"]", P("""{"memory_ids":["m1","m2"]}"""));
    }

    [Theory]
    [InlineData("""{"categories":{"contains":"Food"}}""", "categories contains \"Food\"")]
    [InlineData("""{"categories":{"icontains":"Food"}}""", "categories icontains \"Food\"")]
    [InlineData("""{"categories":{"in":["a","b"]}}""", "categories in [\"a\", \"b\"]")]
    [InlineData("""{"categories":{"nin":["a"]}}""", "categories nin [\"a\"]")]
    [InlineData("""{"user_id":{"ne":"u"}}""", "user_id ne \"u\"")]
    [InlineData("""{"user_id":{"nin":["u"]}}""", "user_id nin [\"u\"]")]
    [InlineData("""{"user_id":{"eq":"*"}}""", "user_id *")]
    [InlineData("""{"user_id":{"*":true}}""", "user_id *")]
    public void Parse_FieldOperators_Parsed(string json, string expected)
    {
        Assert.Equal(expected, P(json));
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_ErrorNamesKeyAndPath()
    {
        var error = Fails("""{"AND":[{"user_id":"u"},{"colour":"red"}]}""");
        Assert.Equal("filters.AND[1].colour", error.Field);
        Assert.Contains("Top-level key must be a logical operator or an allowed field", error.Message, StringComparison.Ordinal);
        Assert.Contains("colour", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownOperator_ErrorNamesOperator()
    {
        var error = Fails("""{"created_at":{">=":"2024-01-01"}}""");
        Assert.Equal("filters.created_at.>=", error.Field);
        Assert.Contains("'>='", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadTime_ErrorNamesFieldPath()
    {
        var error = Fails("""{"AND":[{"user_id":"u"},{"created_at":{"gte":"yesterday"}}]}""");
        Assert.Equal("filters.AND[1].created_at.gte", error.Field);
        Assert.Contains("created_at", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"user_id":{"gt":"u"}}""", "filters.user_id.gt")]
    [InlineData("""{"categories":{"gt":"u"}}""", "filters.categories.gt")]
    [InlineData("""{"created_at":{"contains":"2024"}}""", "filters.created_at.contains")]
    [InlineData("""{"keywords":{"in":["a"]}}""", "filters.keywords.in")]
    [InlineData("""{"memory_ids":{"contains":"a"}}""", "filters.memory_ids.contains")]
    public void Parse_OperatorNotAllowedOnField_Throws(string json, string field)
    {
        var error = Fails(json);
        Assert.Equal(field, error.Field);
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"AND":{"user_id":"u"}}""", "filters.AND")]
    [InlineData("""{"OR":"u"}""", "filters.OR")]
    [InlineData("""{"AND":[]}""", "filters.AND")]
    [InlineData("""{"NOT":3}""", "filters.NOT")]
    [InlineData("""{"AND":[1]}""", "filters.AND[0]")]
    [InlineData("""[{"user_id":"u"}]""", "filters")]
    public void Parse_MalformedLogical_Throws(string json, string field)
    {
        Assert.Equal(field, Fails(json).Field);
    }

    [Theory]
    [InlineData("""{"user_id":{"in":"u"}}""", "filters.user_id.in")]
    [InlineData("""{"user_id":{"eq":["u"]}}""", "filters.user_id.eq")]
    [InlineData("""{"user_id":5}""", "filters.user_id")]
    [InlineData("""{"user_id":{"in":["a",5]}}""", "filters.user_id.in[1]")]
    [InlineData("""{"user_id":{}}""", "filters.user_id")]
    [InlineData("""{"user_id":["a",null]}""", "filters.user_id[1]")]
    [InlineData("""{"categories":{"nin":[null]}}""", "filters.categories.nin[0]")]
    [InlineData("""{"keywords":null}""", "filters.keywords")]
    [InlineData("""{"keywords":{"contains":5}}""", "filters.keywords.contains")]
    [InlineData("""{"metadata":{"k":{"gt":null}}}""", "filters.metadata.k.gt")]
    [InlineData("""{"metadata":{"k":{"eq":{"x":1}}}}""", "filters.metadata.k.eq")]
    [InlineData("""{"metadata":{"gt":1}}""", "filters.metadata")]
    [InlineData("""{"metadata":{"k":{"gt":1,"x":2}}}""", "filters.metadata.k")]
    [InlineData("""{"metadata":{}}""", "filters.metadata")]
    [InlineData("""{"metadata.a..b":1}""", "filters.metadata.a..b")]
    [InlineData("""{"created_at":true}""", "filters.created_at")]
    [InlineData("""{"created_at":1e300}""", "filters.created_at")]
    public void Parse_BadValue_Throws(string json, string field)
    {
        Assert.Equal(field, Fails(json).Field);
    }

    [Theory]
    [InlineData("timestamp")]
    [InlineData("expiration_date")]
    [InlineData("keywords_search")]
    [InlineData("USER_ID")]
    public void Parse_UnsupportedPlatformKey_ThrowsNotIgnored(string key)
    {
        var error = Fails($$"""{"user_id":"u","{{key}}":"x"}""");
        Assert.Equal("filters." + key, error.Field);
    }

    [Fact]
    public void Parse_DeepNesting_Throws()
    {
        var json = string.Concat(Enumerable.Repeat("{\"AND\":[", 40)) + "{\"user_id\":\"u\"}" + string.Concat(Enumerable.Repeat("]}", 40));
        var error = Fails(json);
        Assert.Contains("deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingWithinLimit_Parses()
    {
        var json = string.Concat(Enumerable.Repeat("{\"AND\":[", 20)) + "{\"user_id\":\"u\"}" + string.Concat(Enumerable.Repeat("]}", 20));
        Assert.EndsWith("user_id eq \"u\"" + new string(')', 20), P(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CustomRootPath_UsedInErrors()
    {
        using var document = JsonDocument.Parse("""{"nope":1}""");
        var error = Assert.Throws<FilterValidationException>(() => FilterParser.Parse(document.RootElement, "body.filters"));
        Assert.Equal("body.filters.nope", error.Field);
    }

    [Fact]
    public void Parse_ErrorIsValidationException_ForHttpMapping()
    {
        Assert.IsAssignableFrom<ValidationException>(Fails("""{"x":1}"""));
    }
    [Theory]
    [InlineData("{\"user_id\":\"u\",\"metadata.k\":{\"regex\":\".*\"}}", "filters.metadata.k.regex")]
    [InlineData("{\"user_id\":\"u\",\"metadata\":{\"k\":{\"$gt\":1}}}", "filters.metadata.k.$gt")]
    [InlineData("{\"user_id\":\"u\",\"metadata\":{\"k\":{\"startswith\":\"a\"}}}", "filters.metadata.k.startswith")]
    public void Parse_OperatorLookingMetadataKey_IsRejected(string json, string path)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);

        var error = Assert.Throws<FilterValidationException>(() => FilterParser.Parse(document.RootElement));

        Assert.Equal(path, error.Field);
    }

    [Fact]
    public void Parse_DottedPathEndingInAnOperatorWord_IsStillAKey()
    {
        var node = FilterParser.Parse("{\"metadata.k.regex\": {\"eq\": \"x\"}}");

        Assert.Contains("regex", FilterFormatter.Format(node), StringComparison.Ordinal);
    }
}
