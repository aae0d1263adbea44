using Mem0.Local.Embeddings;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Tests.Embeddings;

/// <summary>
/// The loaded models for all MiniLM tests (loading costs ~0.5 s and 200-350 MB each), extracted to a private temp cache:
/// the default int8 variant and the published float32 one.
/// </summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmFixture()
    {
        CacheDirectory = Path.Combine(Path.GetTempPath(), "mem0-minilm-tests-" + Guid.NewGuid().ToString("N"));
        Generator = new LocalEmbeddingGenerator(Options.Create(new LocalEmbeddingOptions
        {
            CacheDirectory = CacheDirectory,
            Model = LocalEmbeddingModel.MiniLm,
            BatchSize = 32,
        }));
        Float32Generator = new LocalEmbeddingGenerator(Options.Create(new LocalEmbeddingOptions
        {
            CacheDirectory = CacheDirectory,
            Model = LocalEmbeddingModel.MiniLm,
            BatchSize = 32,
            Precision = LocalEmbeddingPrecision.Float32,
        }));
    }

    public string CacheDirectory { get; }

    /// <summary>The default configuration: int8.</summary>
    public LocalEmbeddingGenerator Generator { get; }

    public LocalEmbeddingGenerator Float32Generator { get; }

    public LocalEmbeddingGenerator For(LocalEmbeddingPrecision precision) =>
        precision == LocalEmbeddingPrecision.Float32 ? Float32Generator : Generator;

    public void Dispose()
    {
        Generator.Dispose();
        Float32Generator.Dispose();
        if (Directory.Exists(CacheDirectory))
        {
            Directory.Delete(CacheDirectory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM";
}
