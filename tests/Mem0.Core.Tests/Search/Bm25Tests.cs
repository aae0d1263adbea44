using Mem0.Core.Search;
using Mem0.Testing.Stores;

namespace Mem0.Core.Tests.Search;

public sealed class Bm25Tests
{
    [Fact]
    public void Tokenize_Text_LowercasesAndSplitsOnNonAlphanumerics()
    {
        Assert.Equal(["don", "t", "stop"], Bm25.Tokenize("Don-t STOP!"));
        Assert.Equal(["dont", "stop", "42"], Bm25.Tokenize("Don't stop 42"));
    }

    [Fact]
    public void Rank_Query_PrefersRareTermsAndDropsNonMatches()
    {
        var bm25 = new Bm25();
        bm25.Add("the cat sat on the mat");
        bm25.Add("the dog chased the cat");
        bm25.Add("the weather is nice");

        Assert.Equal([1, 0], bm25.Rank("dog cat"));
    }

    [Fact]
    public void Score_SameTermFrequency_ShorterDocumentScoresHigher()
    {
        var bm25 = new Bm25();
        bm25.Add("espresso");
        bm25.Add("espresso with a long description of many other things");
        bm25.Add("tea");

        var terms = Bm25.Tokenize("espresso");
        Assert.True(bm25.Score(terms, 0) > bm25.Score(terms, 1));
        Assert.Equal(0, bm25.Score(terms, 2));
    }
}
