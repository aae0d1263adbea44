using Mem0.Core.Common;
using Mem0.Core.Jobs;
using Mem0.Local.Storage;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Jobs;

/// <summary>Job payloads as files under <c>{data directory}/jobs/</c>; keys map to relative paths and never escape it.</summary>
public sealed class FileJobPayloadStore(IOptions<SqliteOptions> options) : IJobPayloadStore
{
    private readonly string _root = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "jobs"));

    public async Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, content.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MemoryNotFoundException($"Job payload '{key}' not found.");
        }
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        // Prefixes are directories ("{project}/{event}/"): delete the directory, then prune an empty project directory.
        var path = PathOf(prefix.TrimEnd('/'));
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var path = Path.GetFullPath(Path.Combine(_root, key));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"Job payload key '{key}' is outside the payload directory.", nameof(key));
    }
}
