namespace Mem0.Local.Storage;

/// <summary>
/// The database file cannot be used: not a SQLite database, or damaged (SQLite's SQLITE_NOTADB / SQLITE_CORRUPT, or
/// a file shorter than its header declares). The server stops with a message saying which file and what to do.
/// </summary>
public sealed class SqliteDatabaseDamagedException(string? path, string reason, Exception? inner)
    : Exception($"The database {path ?? "(connection string)"} cannot be used: {reason.TrimEnd('.')}.", inner)
{
    public string? FilePath { get; } = path;

    public string Reason { get; } = reason.TrimEnd('.');
}
