using Mem0.Core.Memories;
using Mem0.Core.Webhooks;
using Mem0.Local.Storage;
using Mem0.Local.Tests.Storage;
using Mem0.Testing.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Local.Tests.Webhooks;

public sealed class SqliteWebhookStoreConformanceTests : WebhookStoreConformanceTests
{
    private readonly SqliteTestDatabase _database = new();

    protected override Task<IWebhookStore> CreateStoreAsync() => Task.FromResult<IWebhookStore>(new SqliteWebhookStore(_database.Database));

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SqliteChangeOutboxConformanceTests : ChangeOutboxConformanceTests
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
