using Mem0.Local.Embeddings;
using Microsoft.Extensions.AI;

namespace Mem0.Local.Tests.Embeddings;

[Collection(MiniLmCollection.Name)]
public sealed class LocalEmbeddingGeneratorTests(MiniLmFixture fixture)
{
    private const string Weather = "The weather is lovely today.";
    private const string Sunny = "It's so sunny outside!";
    private const string Stadium = "He drove to the stadium.";

    private const string MiniLmId = "all-MiniLM-L6-v2";
    private const string MiniLmInt8Id = MiniLmId + "-int8";

    private readonly LocalEmbeddingGenerator _generator = fixture.Generator;

    // The similarity matrix published with sentence-transformers' quickstart for all-MiniLM-L6-v2: float32 reproduces it
    // to the published precision; the int8 variant stays within 0.02 of it (measured: 0.6501 / 0.1064 / 0.1570).
    [Theory]
    [InlineData(Weather, Sunny, 0.6660, LocalEmbeddingPrecision.Float32, 0.001)]
    [InlineData(Weather, Stadium, 0.1046, LocalEmbeddingPrecision.Float32, 0.001)]
    [InlineData(Sunny, Stadium, 0.1411, LocalEmbeddingPrecision.Float32, 0.001)]
    [InlineData(Weather, Sunny, 0.6660, LocalEmbeddingPrecision.Int8, 0.02)]
    [InlineData(Weather, Stadium, 0.1046, LocalEmbeddingPrecision.Int8, 0.02)]
    [InlineData(Sunny, Stadium, 0.1411, LocalEmbeddingPrecision.Int8, 0.02)]
    public async Task GenerateAsync_ReferenceSentences_ReproducePublishedSimilarities(
        string left, string right, double expected, LocalEmbeddingPrecision precision, double tolerance)
    {
        var embeddings = await fixture.For(precision).GenerateAsync([left, right]);

        Assert.Equal(expected, Cosine(embeddings[0], embeddings[1]), tolerance);
    }

    [Fact]
    public async Task GenerateAsync_Int8_StaysCloseToFloat32ForEveryText()
    {
        var texts = Enumerable.Range(0, 64)
            .Select(i => $"{Subjects[i % Subjects.Length]} {Verbs[i / 4 % Verbs.Length]} {Objects[i / 16 % Objects.Length]} (note {i}).")
            .Append(Weather).Append("x").Append(string.Empty).Append(new string('a', 2000))
            .ToList();

        var int8 = await fixture.Generator.GenerateAsync(texts);
        var float32 = await fixture.Float32Generator.GenerateAsync(texts);

        var cosines = Enumerable.Range(0, texts.Count).Select(i => Cosine(int8[i], float32[i])).ToList();
        // Measured: lowest 0.9795 (a one-letter text), mean 0.99+.
        Assert.True(cosines.Min() >= 0.97, $"lowest cosine {cosines.Min():F4}");
        Assert.True(cosines.Average() >= 0.99, $"mean cosine {cosines.Average():F4}");
    }

    [Theory]
    [InlineData(LocalEmbeddingPrecision.Int8, MiniLmInt8Id)]
    [InlineData(LocalEmbeddingPrecision.Float32, MiniLmId)]
    public async Task GenerateAsync_Precision_NamesItsModel(LocalEmbeddingPrecision precision, string modelId)
    {
        var generator = fixture.For(precision);

        var embeddings = await generator.GenerateAsync([Weather]);

        Assert.Equal(modelId, embeddings[0].ModelId);
        Assert.Equal(modelId, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
    }

    private static readonly string[] Subjects = ["I", "My sister", "The user", "Alex"];
    private static readonly string[] Verbs = ["likes", "is allergic to", "wants to learn", "recently bought", "never eats"];
    private static readonly string[] Objects = ["green tea", "hiking in the Alps", "jazz records", "Italian cooking"];

    [Fact]
    public async Task GenerateAsync_AnyText_ReturnsUnitLengthVectorsOf384Dimensions()
    {
        var embeddings = await _generator.GenerateAsync([Weather, "x", string.Empty, new string('a', 5000)]);

        Assert.Equal(4, embeddings.Count);
        Assert.All(embeddings, embedding =>
        {
            Assert.Equal(384, embedding.Vector.Length);
            Assert.Equal(1.0, Math.Sqrt(Dot(embedding.Vector.Span, embedding.Vector.Span)), 0.0001);
            Assert.Equal(MiniLmInt8Id, embedding.ModelId);
        });
    }

    [Theory]
    [InlineData(LocalEmbeddingPrecision.Int8)]
    [InlineData(LocalEmbeddingPrecision.Float32)]
    public async Task GenerateAsync_TextInBatch_EqualsSameTextAlone(LocalEmbeddingPrecision precision)
    {
        var generator = fixture.For(precision);
        var alone = await generator.GenerateAsync([Sunny]);
        var inBatch = await generator.GenerateAsync(["A much longer sentence that forces padding of the shorter ones in this batch.", Sunny]);

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

    [Theory]
    [InlineData(LocalEmbeddingPrecision.Int8)]
    [InlineData(LocalEmbeddingPrecision.Float32)]
    public async Task GenerateAsync_UserFactsAndQuestions_RetrievesTheRightFactForAtLeastNineOfTen(LocalEmbeddingPrecision precision)
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

        var factVectors = await fixture.For(precision).GenerateAsync(facts);
        var questionVectors = await fixture.For(precision).GenerateAsync(questions);
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
        Assert.Equal("all-MiniLM-L6-v2-int8", metadata.DefaultModelId);
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
