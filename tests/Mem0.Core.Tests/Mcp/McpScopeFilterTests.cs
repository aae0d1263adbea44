using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Http;
using Mem0.Core.Mcp;
using Mem0.Core.Memories;

namespace Mem0.Core.Tests.Mcp;

public sealed class McpScopeFilterTests
{
    private static readonly CallerContext Caller = new("org", "proj", "key");

    private static McpCaller Pinned(string? userId = null, string? agentId = null) => new(Caller, new MemoryScope(userId, agentId));

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string Render(FilterNode node) => FilterFormatter.Format(node);

    [Fact]
    public void Build_NoArgumentsAndAPinnedUser_ScopesToThePinnedUser()
    {
        var filter = McpScopeFilter.Build(Pinned("alice"), null, null, null, null, null);

        Assert.Equal(Render(new ConditionFilter(FilterField.Of(FilterFieldKind.UserId), FilterOperator.Eq, new StringValue("alice"))), Render(filter));
    }

    [Fact]
    public void Build_ArgumentGiven_ReplacesThatIdsDefaultAndKeepsTheOthers()
    {
        var filter = McpScopeFilter.Build(Pinned("alice", "helper"), null, "bob", null, null, null);

        var text = Render(filter);
        Assert.Contains("bob", text, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        Assert.Contains("helper", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FiltersNameTheUser_TheUsersDefaultIsNotAdded()
    {
        var filter = McpScopeFilter.Build(Pinned("alice"), Json("""{"OR":[{"user_id":"bob"},{"user_id":"carol"}]}"""), null, null, null, null);

        var text = Render(filter);
        Assert.DoesNotContain("alice", text, StringComparison.Ordinal);
        Assert.Contains("carol", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WildcardArgument_MeansAnyValueOfThatId()
    {
        var filter = McpScopeFilter.Build(Pinned(), null, "*", null, null, null);

        Assert.True(FilterScopes.HasPositiveScope(filter));
        Assert.Equal(FilterOperator.Exists, Assert.IsType<ConditionFilter>(filter).Operator);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"categories":{"contains":"food"}}""")]
    [InlineData("""{"NOT":[{"user_id":"alice"}]}""")]
    public void Build_NothingScopesThePositively_IsRefusedNamingUserId(string? filters)
    {
        var error = Assert.Throws<ValidationException>(() =>
            McpScopeFilter.Build(Pinned(), filters is null ? null : Json(filters), null, null, null, null));

        Assert.Equal("user_id", error.Field);
    }

    [Fact]
    public void Build_FiltersNotAnObject_IsRefusedNamingFilters()
    {
        var error = Assert.Throws<ValidationException>(() => McpScopeFilter.Build(Pinned("alice"), Json("[1]"), null, null, null, null));

        Assert.Equal("filters", error.Field);
    }
}

public sealed class MemoryToolsShapeTests
{
    [Fact]
    public void MemoryTools_DependOnlyOnTheApplicationServices_NeverOnHttpHandlers()
    {
        var dependencies = typeof(McpEndpoint).Assembly.GetType("Mem0.Core.Mcp.MemoryTools")!
            .GetConstructors().Single().GetParameters().Select(p => p.ParameterType).ToArray();

        Assert.Equal([typeof(MemoryOperations), typeof(Mem0.Core.Events.EventLog)], dependencies);
    }
}
