using Mem0.Core.Extraction;
using Mem0.Core.Memories;

namespace Mem0.Core.Tests.Extraction;

public sealed class ExtractionResponseParserTests
{
    [Fact]
    public void Parse_AllFourEvents_ReturnsDecisions()
    {
        var decisions = ExtractionResponseParser.Parse("""
            {"memory": [
              {"event": "ADD", "text": " Likes tea ", "categories": ["food"]},
              {"event": "update", "id": 1, "text": "Lives in Rome"},
              {"event": "DELETE", "id": "2"},
              {"event": "NONE", "id": "3"}
            ]}
            """);

        Assert.Equal([MemoryOperation.Add, MemoryOperation.Update, MemoryOperation.Delete, MemoryOperation.None], decisions.Select(d => d.Event));
        Assert.Equal("Likes tea", decisions[0].Text);
        Assert.Equal(["food"], decisions[0].Categories);
        Assert.Equal("1", decisions[1].Id);
    }

    [Fact]
    public void Parse_EmptyList_ReturnsNoDecisions()
    {
        Assert.Empty(ExtractionResponseParser.Parse("""{"memory": []}"""));
    }

    [Fact]
    public void Parse_CodeFenceAndProse_AreIgnored()
    {
        var decisions = ExtractionResponseParser.Parse("Sure.\n```json\n{\"memory\": [{\"event\": \"ADD\", \"text\": \"Likes tea\"}]}\n```");

        Assert.Equal("Likes tea", Assert.Single(decisions).Text);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("no json here", "no JSON object")]
    [InlineData("{\"memory\": [}", "not valid JSON")]
    [InlineData("{\"facts\": []}", "\"memory\" array")]
    [InlineData("{\"memory\": [\"Likes tea\"]}", "memory[0] must be an object")]
    [InlineData("{\"memory\": [{\"event\": \"MERGE\", \"text\": \"x\"}]}", "memory[0].event")]
    [InlineData("{\"memory\": [{\"event\": \"ADD\", \"text\": \"\"}]}", "non-empty \"text\"")]
    [InlineData("{\"memory\": [{\"event\": \"UPDATE\", \"text\": \"x\"}]}", "needs the \"id\"")]
    [InlineData("{\"memory\": [{\"event\": \"DELETE\"}]}", "needs the \"id\"")]
    [InlineData("{\"memory\": [{\"event\": \"ADD\", \"text\": \"x\", \"categories\": [1]}]}", "categories")]
    public void Parse_OffSchema_ThrowsWithReason(string reply, string reason)
    {
        var ex = Assert.Throws<ExtractionFormatException>(() => ExtractionResponseParser.Parse(reply));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
