using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Mem0.Core.Dashboard;

/// <summary>One file of the dashboard: its bytes, media type and a strong ETag (hash of the bytes).</summary>
public sealed record DashboardFile(string Path, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The dashboard's static files, embedded in this assembly (<c>Dashboard/wwwroot/**</c>) so both hosts serve the very same
/// bytes with nothing to copy or deploy beside the binaries. Loaded once, on first use.
/// </summary>
public static class DashboardFiles
{
    /// <summary>The prefix of the files' manifest resource names (see Mem0.Core.csproj).</summary>
    internal const string ResourcePrefix = "Mem0.Dashboard/";

    private static readonly Lazy<FrozenDictionary<string, DashboardFile>> s_files = new(Load);

    private static readonly FrozenDictionary<string, string> s_contentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".json"] = "application/json; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every file by its path relative to the dashboard root, e.g. <c>index.html</c>, <c>pages/memories.js</c>.</summary>
    public static IReadOnlyDictionary<string, DashboardFile> All => s_files.Value;

    /// <summary>The file at <paramref name="path"/> (relative, forward slashes, case-sensitive), or null.</summary>
    public static DashboardFile? Find(string path) => s_files.Value.GetValueOrDefault(path);

    private static FrozenDictionary<string, DashboardFile> Load()
    {
        var assembly = typeof(DashboardFiles).Assembly;
        var files = new Dictionary<string, DashboardFile>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            // RecursiveDir uses the build machine's separator; the URL space uses '/'.
            var path = name[ResourcePrefix.Length..].Replace('\\', '/');
            var extension = System.IO.Path.GetExtension(path);
            if (!s_contentTypes.TryGetValue(extension, out var contentType))
            {
                continue;
            }

            var content = Read(assembly, name);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
            files[path] = new DashboardFile(path, content, contentType, etag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The dashboard resource {name} is listed but cannot be opened.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
