using Mem0.Core.Filters;
using Mem0.Core.Memories;

namespace Mem0.Core.Tests.Filters;

public class FilterScopesTests
{
    [Theory]
    [InlineData("""{"user_id":"u"}""", true)]
    [InlineData("""{"userId":"u","created_at":{"gt":"2024-01-01"}}""", true)]
    [InlineData("""{"AND":[{"agent_id":"a"},{"metadata":{"k":1}}]}""", true)]
    [InlineData("""{"run_id":["r1","r2"]}""", true)]
    [InlineData("""{"app_id":"*"}""", true)]
    [InlineData("""{"OR":[{"user_id":"u"},{"agent_id":"a"}]}""", true)]
    [InlineData("""{"OR":[{"user_id":"u"},{"metadata":{"k":1}}]}""", false)]
    [InlineData("""{"NOT":{"user_id":"u"}}""", false)]
    [InlineData("""{"user_id":{"ne":"u"}}""", false)]
    [InlineData("""{"user_id":{"nin":["u"]}}""", false)]
    [InlineData("""{"user_id":{"contains":"u"}}""", false)]
    [InlineData("""{"user_id":null}""", false)]
    [InlineData("""{"metadata":{"user_id":"u"}}""", false)]
    [InlineData("""{}""", false)]
    public void HasPositiveScope_Cases(string filter, bool expected)
    {
        Assert.Equal(expected, FilterScopes.HasPositiveScope(FilterParser.Parse(filter)));
    }

    [Fact]
    public void ForScope_NonNullIds_AndOfEq()
    {
        var node = FilterScopes.ForScope(new MemoryScope(UserId: "u", RunId: "r"));
        Assert.Equal("and(user_id eq \"u\", run_id eq \"r\")", FilterFormatter.Format(node));
    }

    [Fact]
    public void ForScope_SingleId_ReturnsCondition()
    {
        var node = FilterScopes.ForScope(new MemoryScope(AgentId: "a"));
        Assert.Equal("agent_id eq \"a\"", FilterFormatter.Format(node));
        Assert.True(FilterScopes.HasPositiveScope(node));
    }

    [Fact]
    public void ForScope_Empty_ReturnsAll()
    {
        Assert.Same(FilterNode.All, FilterScopes.ForScope(MemoryScope.Empty));
    }

    [Fact]
    public void And_FlattensAndDropsEmpty()
    {
        var node = FilterScopes.And(
            FilterScopes.ForScope(new MemoryScope(UserId: "u", AgentId: "a")),
            FilterNode.All,
            FilterParser.Parse("""{"metadata":{"k":1}}"""));
        Assert.Equal("and(user_id eq \"u\", agent_id eq \"a\", metadata.k eq 1)", FilterFormatter.Format(node));
    }

    [Fact]
    public void And_Nothing_ReturnsAll()
    {
        Assert.Same(FilterNode.All, FilterScopes.And());
    }
}
