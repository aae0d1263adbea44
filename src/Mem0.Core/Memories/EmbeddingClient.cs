using Mem0.Core.Search;
using Microsoft.Extensions.AI;

namespace Mem0.Core.Memories;

/// <summary>Batched embedding with normalisation and the model id stored next to every vector.</summary>
internal sealed class EmbeddingClient
{
    private const string FallbackModelId = "default";

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly string? _defaultModelId;

    public EmbeddingClient(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
        _defaultModelId = generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
    }

    /// <summary>Embeds a search query: the generator is told so, and adds its query prefix if it has one.</summary>
    public async Task<(float[] Vector, string ModelId)> EmbedQueryAsync(string query, CancellationToken cancellationToken)
    {
        var batch = await EmbedAsync([query], cancellationToken, EmbeddingPurpose.ForQuery());
        return (batch.Vectors[0], batch.ModelId);
    }

    /// <summary>One call for all texts (stored texts unless <paramref name="options"/> say otherwise); vectors come back L2-normalised, in input order.</summary>
    public async Task<EmbeddedBatch> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken, EmbeddingGenerationOptions? options = null)
    {
        if (texts.Count == 0)
        {
            return new EmbeddedBatch([], _defaultModelId ?? FallbackModelId);
        }

        var generated = await _generator.GenerateAsync(texts, options, cancellationToken);
        if (generated.Count != texts.Count)
        {
            throw new InvalidOperationException($"The embedding generator returned {generated.Count} vectors for {texts.Count} texts.");
        }

        var vectors = new float[generated.Count][];
        for (var i = 0; i < generated.Count; i++)
        {
            vectors[i] = VectorMath.Normalize(generated[i].Vector.Span);
        }

        var modelId = _defaultModelId ?? generated[0].ModelId ?? FallbackModelId;
        return new EmbeddedBatch(vectors, modelId);
    }
}

internal sealed record EmbeddedBatch(float[][] Vectors, string ModelId);
