using Mem0.Core.Events;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Local.Storage;
using Mem0.Testing.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Local.Tests.Storage;

public sealed class SqliteMemoryStoreConformanceTests : MemoryStoreConformanceTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<IMemoryStore> CreateStoreAsync() =>
        Task.FromResult<IMemoryStore>(new SqliteMemoryStore(_database.Database, NullLogger<SqliteMemoryStore>.Instance));

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SqliteProjectStoreConformanceTests : ProjectStoreConformanceTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<IProjectStore> CreateStoreAsync() => Task.FromResult<IProjectStore>(new SqliteProjectStore(_database.Database));

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SqliteEventStoreConformanceTests : EventStoreConformanceTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<IEventStore> CreateStoreAsync() => Task.FromResult<IEventStore>(new SqliteEventStore(_database.Database));

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}
