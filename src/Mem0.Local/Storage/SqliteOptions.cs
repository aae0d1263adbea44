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
}
