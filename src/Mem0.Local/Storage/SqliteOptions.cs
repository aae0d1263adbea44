using System.ComponentModel.DataAnnotations;

namespace Mem0.Local.Storage;

/// <summary>Where the local server keeps its SQLite database (section <c>Mem0:Sqlite</c>).</summary>
public sealed class SqliteOptions
{
    public const string SectionName = "Mem0:Sqlite";

    /// <summary>Directory of the database file; created when missing. Ignored when <see cref="ConnectionString"/> is set.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./.data";

    /// <summary>File name inside <see cref="DataDirectory"/>.</summary>
    [Required]
    public string FileName { get; set; } = "mem0.db";

    /// <summary>A full Microsoft.Data.Sqlite connection string; overrides the directory and file name.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a connection waits for a lock held by another process before failing.</summary>
    [Range(0, 600)]
    public int BusyTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Memory budget of each project's in-memory vector index, in megabytes, over its resident scopes (an estimate: about
    /// 3 KB per memory at 384 dims with a short text). Scopes load on first search; above the budget the least recently
    /// searched scopes are unloaded and read again from SQLite when next needed. Keep it above the largest single scope.
    /// </summary>
    [Range(1, 1_048_576)]
    public int IndexBudgetMegabytes { get; set; } = 2048;
}
