using Mem0.Core.Search;
using Mem0.Testing.Stores;
using Microsoft.Extensions.AI;

namespace Mem0.Testing.AI;

/// <summary>
/// Deterministic bag-of-words hashing embeddings (normalised). Identical texts get identical vectors and shared
/// words raise similarity, which is all plumbing tests need; it knows nothing of meaning. Model id "hashing-test".
/// </summary>
public sealed class HashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "hashing-test";

    private readonly EmbeddingGeneratorMetadata _metadata;
    private int _callCount;
    private int _textCount;

    public HashingEmbeddingGenerator(int dimensions = 256)
    {
        Dimensions = dimensions;
        _metadata = new EmbeddingGeneratorMetadata("hashing", null, ModelId, dimensions);
    }

    public int Dimensions { get; }

    /// <summary>Number of <see cref="GenerateAsync"/> calls (batches), not texts.</summary>
    public int CallCount => Volatile.Read(ref _callCount);

    public int TextCount => Volatile.Read(ref _textCount);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Real generators complete asynchronously; yielding lets concurrent callers interleave.
        await Task.Yield();
        Interlocked.Increment(ref _callCount);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            embeddings.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId });
            Interlocked.Increment(ref _textCount);
        }

        return embeddings;
    }

    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var token in Bm25.Tokenize(text))
        {
            var hash = Fnv1a(token);
            vector[(int)(hash % (uint)Dimensions)] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static uint Fnv1a(string token)
    {
        var hash = 2166136261u;
        foreach (var c in token)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
