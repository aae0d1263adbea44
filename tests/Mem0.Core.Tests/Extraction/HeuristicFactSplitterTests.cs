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
}
