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

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
