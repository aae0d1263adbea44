using Mem0.Core.Extraction;
using Mem0.Core.Memories;

namespace Mem0.Core.Tests.Extraction;

public sealed class HeuristicFactSplitterTests
{
    [Fact]
    public void Split_UserMessages_ReturnsStatementSentencesOnly()
    {
        var facts = HeuristicFactSplitter.Split(
        [
            new InputMessage("user", "Hi! I moved to Lisbon in 2023. Do you know good cafes?\nMy daughter is 7 years old"),
            new InputMessage("assistant", "Lisbon has many great cafes."),
            new InputMessage("user", "Thanks. I moved to Lisbon in 2023."),
        ]);

        Assert.Equal(["I moved to Lisbon in 2023.", "My daughter is 7 years old"], facts);
    }

    [Fact]
    public void Split_DecimalNumber_DoesNotBreakSentence()
    {
        Assert.Equal(["My height is 1.85 m."], HeuristicFactSplitter.Split([new InputMessage("user", "My height is 1.85 m.")]));
    }

    [Fact]
    public void Split_AgentPerspective_AlsoTakesAssistantStatements()
    {
        InputMessage[] messages =
        [
            new("assistant", "I will answer in bullet points from now on. Shall I go on?"),
            new("user", "The build server moved to Oslo."),
            new("system", "You are a support bot for the build team."),
        ];

        Assert.Equal(["The build server moved to Oslo."], HeuristicFactSplitter.Split(messages));
        Assert.Equal(
            ["I will answer in bullet points from now on.", "The build server moved to Oslo."],
            HeuristicFactSplitter.Split(messages, agentPerspective: true));
    }
}
