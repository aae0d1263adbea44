using Mem0.Local.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Tests.Storage;

/// <summary>A SQLite database in a fresh temporary directory, deleted on dispose.</summary>
internal sealed class SqliteTestDatabase : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mem0-sqlite-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestDatabase()
    {
        Database = new SqliteDatabase(Options.Create(new SqliteOptions { DataDirectory = _directory }));
    }

    public SqliteDatabase Database { get; }

    public string FilePath => Path.Combine(_directory, "mem0.db");

    public void Dispose()
    {
        Database.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
