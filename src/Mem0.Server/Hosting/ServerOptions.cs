using System.ComponentModel.DataAnnotations;

namespace Mem0.Server.Hosting;

/// <summary>Settings of the local server (section <c>Mem0:Server</c>).</summary>
public sealed class ServerOptions
{
    public const string SectionName = "Mem0:Server";

    public const string DefaultUrl = "http://127.0.0.1:8888";

    /// <summary>Where the SQLite database and the model cache live. Relative paths are from the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./.data";

    /// <summary>The API key to accept (from <c>MEM0_API_KEY</c>); when absent one is generated at first start and printed once.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Print the banner (URL, key, curl example) at start.</summary>
    public bool PrintBanner { get; set; } = true;

    /// <summary>Warm the model, the vector index and storage in the background right after start (see <c>ServerWarmUp</c>).</summary>
    public bool WarmUp { get; set; } = true;

    /// <summary>How much of the default project's vector index the warm-up loads, in megabytes (the rest loads on demand).</summary>
    [Range(0, 1_048_576)]
    public int WarmUpIndexMegabytes { get; set; } = 64;

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
