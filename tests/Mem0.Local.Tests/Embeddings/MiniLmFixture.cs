using Mem0.Local.Embeddings;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Tests.Embeddings;

/// <summary>One loaded model for all MiniLM tests (loading costs ~0.5 s and ~200 MB), extracted to a private temp cache.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmFixture()
    {
        CacheDirectory = Path.Combine(Path.GetTempPath(), "mem0-minilm-tests-" + Guid.NewGuid().ToString("N"));
        Generator = new MiniLmEmbeddingGenerator(Options.Create(new LocalEmbeddingOptions
        {
            CacheDirectory = CacheDirectory,
            IntraOpThreads = 2,
            BatchSize = 32,
        }));
    }

    public string CacheDirectory { get; }

    public MiniLmEmbeddingGenerator Generator { get; }

    public void Dispose()
    {
        Generator.Dispose();
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
