using Mem0.Core.Memories;
using Mem0.Core.Search;

namespace Mem0.Core.Tests.Search;

public sealed class SearchTextTests
{
    [Fact]
    public void KeywordTerms_Question_DropsStopwordsAndPossessives()
    {
        Assert.Equal(["caroline", "go", "lgbtq", "support", "group"], SearchText.KeywordTerms("When did Caroline's go to the LGBTQ support group?"));
    }

    [Fact]
    public void KeywordTerms_OnlyStopwords_IsEmpty()
    {
        Assert.Empty(SearchText.KeywordTerms("What did she do in May?"));
    }
}

public sealed class PseudoRelevanceFeedbackTests
{
    [Fact]
    public void CandidateTerms_BestTextsFirst_WeighsByRankAndSkipsQueryShortAndNumericWords()
    {
        var candidates = PseudoRelevanceFeedback.CandidateTerms(["I loved reading Charlotte's Web in 1999 at 9", "reading by the lake"], ["books", "loved"]);

        Assert.Equal(1.5, candidates.Single(c => c.Term == "reading").Weight, 6);
        Assert.Equal(1.0, candidates.Single(c => c.Term == "charlotte").Weight, 6);
        Assert.Equal(0.5, candidates.Single(c => c.Term == "lake").Weight, 6);
        Assert.DoesNotContain(candidates, c => c.Term is "loved" or "1999" or "9" or "by" or "s");
    }

    [Fact]
    public void Choose_RareSharedWords_BeatCommonAndSingletonOnes()
    {
        (string, double)[] candidates = [("reading", 1.5), ("lake", 0.5), ("caroline", 2.0), ("charlotte", 1.0)];

        var chosen = PseudoRelevanceFeedback.Choose(candidates, total: 1000, documentCounts: [20, 40, 400, 1]);

        Assert.Equal(["reading", "lake"], chosen);
    }
}

public sealed class EntityExtractorTests
{
    [Fact]
    public void FromStoredText_SpeakerAndNames_FindsThemLowerCased()
    {
        var entities = EntityExtractor.FromStoredText("Caroline: I went to New York with Melanie's kids last week. Wow, it was great!");

        Assert.Equal(["caroline", "new york", "melanie"], entities);
    }

    [Fact]
    public void FromQuery_SentenceStartAndQuestionWords_AreNotEntities()
    {
        Assert.Equal(["melanie", "paris"], EntityExtractor.FromQuery("Where did Melanie travel in Paris? When was that?"));
        Assert.Empty(EntityExtractor.FromQuery("Where did I put my keys?"));
    }
}

public sealed class TimeWindowTests
{
    private static readonly DateOnly Today = new(2024, 3, 15);

    [Theory]
    [InlineData("What did Mel paint in July 2023?", "2023-07-01", "2023-08-01")]
    [InlineData("What happened on October 13, 2023?", "2023-10-12", "2023-10-15")]
    [InlineData("What did Gina find on 1 February, 2023?", "2023-01-31", "2023-02-03")]
    [InlineData("What did I do on 2023-05-20?", "2023-05-19", "2023-05-22")]
    [InlineData("What did I buy last week?", "2024-03-01", "2024-03-16")]
    [InlineData("Who called me yesterday?", "2024-03-13", "2024-03-15")]
    [InlineData("What was achieved in 2022?", "2022-01-01", "2023-01-01")]
    public void Parse_NamedPeriod_CoversIt(string query, string start, string end)
    {
        var window = TimeWindow.Parse(query, Today);

        Assert.NotNull(window);
        Assert.Equal(DateTimeOffset.Parse(start + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), window.Start);
        Assert.Equal(DateTimeOffset.Parse(end + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), window.End);
    }

    [Fact]
    public void Parse_MonthWithoutYear_MatchesThatMonthOfAnyYear()
    {
        var window = TimeWindow.Parse("When did Melanie go camping in June?", Today)!;

        Assert.True(window.Contains(new DateTimeOffset(2021, 6, 30, 23, 0, 0, TimeSpan.Zero)));
        Assert.False(window.Contains(new DateTimeOffset(2021, 7, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("What does Caroline like?")]
    [InlineData("You may go now")]
    [InlineData("")]
    public void Parse_NoPeriod_IsNull(string query)
    {
        Assert.Null(TimeWindow.Parse(query, Today));
    }
}

public sealed class HybridRankingTests
{
    private static readonly DateOnly Today = new(2024, 1, 1);

    [Fact]
    public void Fuse_QueryNamingAMonth_FavoursMemoriesFromThenWithoutDroppingOthers()
    {
        // Equal semantic scores: only the time signal can order them.
        var june = Memory("june", "Went to the lake", new DateTimeOffset(2023, 6, 10, 0, 0, 0, TimeSpan.Zero));
        var july = Memory("july", "Went to the lake", new DateTimeOffset(2023, 7, 10, 0, 0, 0, TimeSpan.Zero));
        var august = Memory("august", "Went to the lake", new DateTimeOffset(2023, 8, 10, 0, 0, 0, TimeSpan.Zero));

        var julyFirst = Fuse("Where did I go in July 2023?", june, july, august);
        var juneFirst = Fuse("Where did I go in June 2023?", june, july, august);

        Assert.Equal("july", julyFirst[0]);
        Assert.Equal("june", juneFirst[0]);
        Assert.Equal(3, julyFirst.Count);
    }

    [Fact]
    public void Fuse_QueryNamingAnEntity_FavoursMemoriesMentioningIt()
    {
        var lisbon = Memory("lisbon", "We flew to Lisbon for a conference", Today.ToDateTime(TimeOnly.MinValue));
        var porto = Memory("porto", "We flew to Porto for a conference", Today.ToDateTime(TimeOnly.MinValue));
        var rome = Memory("rome", "We flew to Rome for a conference", Today.ToDateTime(TimeOnly.MinValue));

        Assert.Equal("porto", Fuse("Why did we fly to Porto?", lisbon, porto, rome, SearchSignals.Vector | SearchSignals.Entity)[0]);
        Assert.Equal("rome", Fuse("Why did we fly to Rome?", lisbon, porto, rome, SearchSignals.Vector | SearchSignals.Entity)[0]);
        Assert.Equal("lisbon", Fuse("Why did we fly to Rome?", lisbon, porto, rome, SearchSignals.Vector)[0]);
    }

    [Fact]
    public void Fuse_KeywordHitOutsideVectorList_CanEnterTheTop()
    {
        var a = Memory("a", "x", Today.ToDateTime(TimeOnly.MinValue));
        var b = Memory("b", "y", Today.ToDateTime(TimeOnly.MinValue));
        var c = Memory("c", "z", Today.ToDateTime(TimeOnly.MinValue));

        var fused = HybridRanking.Fuse([(a, 0.9f), (b, 0.8f)], [(c, 0.1f)], QueryFeatures.From("z", Today), SearchSignals.All, topK: 2);

        Assert.Equal(["a", "c"], fused.Select(h => h.Memory.Id));
        Assert.Equal(0.1, fused[1].Score, 3);
    }

    [Fact]
    public void Fuse_NeighbourOfTheStrongestHit_RisesButNotAboveIt()
    {
        var question = Memory("question", "Melanie: what did you paint?", Today.ToDateTime(TimeOnly.MinValue));
        var answer = Memory("answer", "Caroline: a sunset over the lake", Today.ToDateTime(TimeOnly.MinValue).AddSeconds(1));
        var others = Enumerable.Range(0, 4).Select(i => Memory("other" + i, "something else " + i, Today.ToDateTime(TimeOnly.MinValue).AddDays(i + 1))).ToList();
        var vectorHits = new[] { (question, 0.9f) }.Concat(others.Select(o => (o, 0.5f))).Append((answer, 0.1f)).ToList();
        NeighbourSource neighbours = anchors => anchors.Any(a => a.Id == "question") ? [new NeighbourHit("question", answer, 0.1f)] : [];

        var with = HybridRanking.Fuse(vectorHits, [], QueryFeatures.From("What did Caroline paint?", Today), SearchSignals.Vector | SearchSignals.Neighbour, topK: 3, neighbours: neighbours);
        var without = HybridRanking.Fuse(vectorHits, [], QueryFeatures.From("What did Caroline paint?", Today), SearchSignals.Vector, topK: 3, neighbours: neighbours);
        var strong = HybridRanking.Fuse(vectorHits, [], QueryFeatures.From("What did Caroline paint?", Today), SearchSignals.Vector | SearchSignals.Neighbour, topK: 3, HybridRanking.DefaultWeights with { Neighbour = 5 }, neighbours);
        var noText = HybridRanking.Fuse(vectorHits, [], QueryFeatures.From("", Today), SearchSignals.All, topK: 3, neighbours: neighbours);

        Assert.Equal(["question", "answer", "other0"], with.Select(h => h.Memory.Id));
        Assert.Equal(["question", "other0", "other1"], without.Select(h => h.Memory.Id));
        Assert.Equal("question", strong[0].Memory.Id);
        Assert.Equal(["question", "other0", "other1"], noText.Select(h => h.Memory.Id));
        Assert.Equal(0.1, with[1].Score, 3);
    }

    private static List<string> Fuse(string query, MemoryRecord first, MemoryRecord second, MemoryRecord third, SearchSignals signals = SearchSignals.All) =>
        HybridRanking.Fuse([(first, 0.5f), (second, 0.5f), (third, 0.5f)], [], QueryFeatures.From(query, Today), signals, topK: 10)
            .Select(hit => hit.Memory.Id)
            .ToList();

    private static MemoryRecord Memory(string id, string text, DateTimeOffset createdAt) => new()
    {
        Id = id,
        ProjectId = "p",
        Text = text,
        Hash = id,
        Embedding = [],
        EmbeddingModel = "m",
        Scope = new MemoryScope("u"),
        Entities = EntityExtractor.FromStoredText(text),
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };
}
