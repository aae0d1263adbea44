using Mem0.Local.Embeddings;
using Microsoft.Extensions.AI;

namespace Mem0.Local.Tests.Embeddings;

[Collection(MiniLmCollection.Name)]
public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture fixture)
{
    private const string Weather = "The weather is lovely today.";
    private const string Sunny = "It's so sunny outside!";
    private const string Stadium = "He drove to the stadium.";

    private readonly MiniLmEmbeddingGenerator _generator = fixture.Generator;

    // The similarity matrix published with sentence-transformers' quickstart for all-MiniLM-L6-v2.
    [Theory]
    [InlineData(Weather, Sunny, 0.6660)]
    [InlineData(Weather, Stadium, 0.1046)]
    [InlineData(Sunny, Stadium, 0.1411)]
    public async Task GenerateAsync_ReferenceSentences_ReproducePublishedSimilarities(string left, string right, double expected)
    {
        var embeddings = await _generator.GenerateAsync([left, right]);

        Assert.Equal(expected, Cosine(embeddings[0], embeddings[1]), 0.001);
    }

    [Fact]
    public async Task GenerateAsync_AnyText_ReturnsUnitLengthVectorsOf384Dimensions()
    {
        var embeddings = await _generator.GenerateAsync([Weather, "x", string.Empty, new string('a', 5000)]);

        Assert.Equal(4, embeddings.Count);
        Assert.All(embeddings, embedding =>
        {
            Assert.Equal(384, embedding.Vector.Length);
            Assert.Equal(1.0, Math.Sqrt(Dot(embedding.Vector.Span, embedding.Vector.Span)), 0.0001);
            Assert.Equal(MiniLmEmbeddingGenerator.ModelId, embedding.ModelId);
        });
    }

    [Fact]
    public async Task GenerateAsync_TextInBatch_EqualsSameTextAlone()
    {
        var alone = await _generator.GenerateAsync([Sunny]);
        var inBatch = await _generator.GenerateAsync(["A much longer sentence that forces padding of the shorter ones in this batch.", Sunny]);

        AssertClose(alone[0].Vector.Span, inBatch[1].Vector.Span);
    }

    [Fact]
    public async Task GenerateAsync_MoreTextsThanBatchSize_ReturnsOneEmbeddingPerTextInOrder()
    {
        var texts = Enumerable.Range(0, 70).Select(i => $"Fact number {i} about the user.").ToList();

        var embeddings = await _generator.GenerateAsync(texts);
        var single = await _generator.GenerateAsync([texts[65]]);

        Assert.Equal(70, embeddings.Count);
        AssertClose(single[0].Vector.Span, embeddings[65].Vector.Span);
    }

    [Fact]
    public async Task GenerateAsync_UserFactsAndQuestions_RetrievesTheRightFactForAtLeastNineOfTen()
    {
        string[] facts =
        [
            "My name is Alice and I work as a nurse.",
            "I am allergic to peanuts.",
            "I live in Lisbon, Portugal.",
            "My favourite sport is tennis.",
            "I have a golden retriever called Max.",
            "I'm vegetarian and never eat meat.",
            "My daughter's birthday is on March 3rd.",
            "I drive a red Tesla Model 3.",
            "I am learning to play the piano.",
            "I prefer tea over coffee in the morning.",
        ];
        string[] questions =
        [
            "What is the user's job?",
            "Does the user have any food allergies?",
            "Which city does the user live in?",
            "What sport does the user like?",
            "What pet does the user have?",
            "What diet does the user follow?",
            "When is the user's child's birthday?",
            "What car does the user own?",
            "Which musical instrument is the user learning?",
            "What does the user like to drink for breakfast?",
        ];

        var factVectors = await _generator.GenerateAsync(facts);
        var questionVectors = await _generator.GenerateAsync(questions);
        var correct = 0;
        for (var q = 0; q < questions.Length; q++)
        {
            var best = Enumerable.Range(0, facts.Length).MaxBy(f => Cosine(questionVectors[q], factVectors[f]));
            correct += best == q ? 1 : 0;
        }

        Assert.True(correct >= 9, $"top-1 correct for {correct}/10 questions");
    }

    [Fact]
    public async Task GenerateAsync_ParallelCallers_GetTheSameVectorsAsSequential()
    {
        var texts = Enumerable.Range(0, 24).Select(i => $"Parallel sentence {i}: the user mentioned item {i * 7}.").ToArray();
        var sequential = new List<Embedding<float>>();
        foreach (var text in texts)
        {
            sequential.AddRange(await _generator.GenerateAsync([text]));
        }

        var parallel = await Task.WhenAll(texts.Select(text => Task.Run(() => _generator.GenerateAsync([text]))));

        for (var i = 0; i < texts.Length; i++)
        {
            AssertClose(sequential[i].Vector.Span, parallel[i][0].Vector.Span);
        }
    }

    [Fact]
    public async Task GenerateAsync_OtherDimensionsRequested_Throws()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() =>
            _generator.GenerateAsync([Weather], new EmbeddingGenerationOptions { Dimensions = 1536 }));
    }

    [Fact]
    public void GetService_Metadata_DescribesModelAndDimensions()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);
    }

    private static double Cosine(Embedding<float> left, Embedding<float> right) => Dot(left.Vector.Span, right.Vector.Span);

    private static double Dot(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        var sum = 0d;
        for (var i = 0; i < left.Length; i++)
        {
            sum += left[i] * right[i];
        }

        return sum;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 0.0001f);
        }
    }
}
