using System.Text.Json;
using Mem0.Core.Mcp;

namespace Mem0.Core.Tests.Mcp;

public sealed class McpToolArgumentsTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "query": { "type": "string" },
            "top_k": { "type": ["integer", "null"] },
            "threshold": { "type": ["number", "null"] },
            "infer": { "type": ["boolean", "null"] },
            "filters": { "type": ["object", "null"] },
            "messages": { "type": ["array", "null"] },
            "anything": { "description": "no type: any JSON" }
          },
          "required": ["query"]
        }
        """).RootElement.Clone();

    private static Dictionary<string, JsonElement> Args(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    [Theory]
    [InlineData("""{"query":"x"}""")]
    [InlineData("""{"query":"x","top_k":5,"threshold":0.5,"infer":false,"filters":{},"messages":[],"anything":[1]}""")]
    [InlineData("""{"query":"x","top_k":null,"filters":null}""")]
    public void FirstProblem_ArgumentsFitTheSchema_IsNull(string json)
    {
        Assert.Null(McpToolArguments.FirstProblem(Schema, Args(json)));
    }

    [Theory]
    [InlineData("""{}""", "query", "Missing required")]
    [InlineData("""{"query":null}""", "query", "Missing required")]
    [InlineData("""{"query":"x","top_k":"5"}""", "top_k", "integer")]
    [InlineData("""{"query":"x","top_k":2.5}""", "top_k", "integer")]
    [InlineData("""{"query":"x","top_k":9999999999}""", "top_k", "integer")]
    [InlineData("""{"query":"x","threshold":"high"}""", "threshold", "number")]
    [InlineData("""{"query":"x","infer":"true"}""", "infer", "true or false")]
    [InlineData("""{"query":"x","filters":[{"user_id":"a"}]}""", "filters", "JSON object")]
    [InlineData("""{"query":"x","messages":"hi"}""", "messages", "list")]
    [InlineData("""{"query":7}""", "query", "string")]
    [InlineData("""{"query":"x","limit":3}""", "limit", "Unknown argument")]
    public void FirstProblem_Mismatch_NamesTheArgument(string json, string argument, string says)
    {
        var problem = McpToolArguments.FirstProblem(Schema, Args(json));

        Assert.NotNull(problem);
        Assert.Equal(argument, problem.Value.Argument);
        Assert.Contains($"'{argument}'", problem.Value.Message, StringComparison.Ordinal);
        Assert.Contains(says, problem.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FirstProblem_NoArgumentsAtAll_ReportsTheRequiredOne()
    {
        Assert.Equal("query", McpToolArguments.FirstProblem(Schema, null)?.Argument);
    }
}
