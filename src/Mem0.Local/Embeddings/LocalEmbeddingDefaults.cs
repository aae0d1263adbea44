namespace Mem0.Local.Embeddings;

/// <summary>Default locations of the extracted model files.</summary>
internal static class LocalEmbeddingDefaults
{
    /// <summary>"&lt;data dir&gt;/models" when a data directory is known, else "~/.cache/mem0-functions/models".</summary>
    public static string CacheDirectory(string? dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(dataDirectory))
        {
            return Path.GetFullPath(Path.Combine(dataDirectory, "models"));
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home)
            ? Path.Combine(Path.GetTempPath(), "mem0-functions", "models")
            : Path.Combine(home, ".cache", "mem0-functions", "models");
    }
}
