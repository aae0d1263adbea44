using Mem0.Core.Events;
using Mem0.Core.Memories;
using Mem0.Local.Storage;
using Mem0.Testing.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Local.Tests.Storage;

/// <summary>The engine's behaviour with the SQLite store underneath (concurrency, dedup, history).</summary>
public sealed class SqliteEngineConformanceTests : EngineConformanceTests, IDisposable
{
    private readonly List<SqliteTestDatabase> _databases = [];

    protected override IMemoryStore CreateStore()
    {
        var database = new SqliteTestDatabase();
        _databases.Add(database);
        return new SqliteMemoryStore(database.Database, NullLogger<SqliteMemoryStore>.Instance);
    }

    protected override IEventStore CreateEventStore()
    {
        var database = new SqliteTestDatabase();
        _databases.Add(database);
        return new SqliteEventStore(database.Database);
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }
}
