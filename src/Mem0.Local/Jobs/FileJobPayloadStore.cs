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
            throw new NotFoundException(ResourceKind.JobPayload, $"Job payload '{key}' not found.");
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

    /// <summary>
    /// Every staged job directory (<c>{project}/{event}/</c>) with its project and event ids and when it was last
    /// written, for the start-up sweep. Files directly under the root or a project are listed as their own prefix.
    /// </summary>
    public IReadOnlyList<StagedPayload> ListStaged()
    {
        var result = new List<StagedPayload>();
        if (!Directory.Exists(_root))
        {
            return result;
        }

        foreach (var project in new DirectoryInfo(_root).EnumerateFileSystemInfos())
        {
            if (project is not DirectoryInfo projectDirectory)
            {
                result.Add(new StagedPayload(null, null, project.Name, project.LastWriteTimeUtc));
                continue;
            }

            var entries = projectDirectory.EnumerateFileSystemInfos().ToList();
            if (entries.Count == 0)
            {
                result.Add(new StagedPayload(null, null, project.Name + "/", project.LastWriteTimeUtc));
            }

            foreach (var entry in entries)
            {
                var lastWrite = entry is DirectoryInfo directory
                    ? directory.EnumerateFiles("*", SearchOption.AllDirectories).Select(f => f.LastWriteTimeUtc).DefaultIfEmpty(directory.LastWriteTimeUtc).Max()
                    : entry.LastWriteTimeUtc;
                var prefix = $"{project.Name}/{entry.Name}" + (entry is DirectoryInfo ? "/" : "");
                result.Add(new StagedPayload(project.Name, entry is DirectoryInfo ? entry.Name : null, prefix, new DateTimeOffset(lastWrite, TimeSpan.Zero)));
            }
        }

        return result;
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

/// <summary>One staged job payload: its project and event (null when the layout does not say), key prefix and last write.</summary>
public sealed record StagedPayload(string? ProjectId, string? EventId, string Prefix, DateTimeOffset LastWrite);
