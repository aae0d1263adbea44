using Mem0.Azure.Cosmos;
using Mem0.Core.Events;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Core.Webhooks;
using Mem0.Testing.Stores;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>
/// A database of its own on the live account (<c>MEM0_LIVE_COSMOS_ENDPOINT</c>, with <c>MEM0_LIVE_COSMOS_KEY</c>: creating
/// databases needs the key or control-plane rights), created with the app's layout and deleted afterwards, so the
/// conformance suites, which use fixed project ids, never see another run's data.
/// </summary>
internal sealed class LiveCosmosDatabase : IAsyncDisposable
{
    private LiveCosmosDatabase(CosmosContainers containers)
    {
        Containers = containers;
    }

    public CosmosContainers Containers { get; }

    public static async Task<LiveCosmosDatabase> CreateAsync()
    {
        var options = new CosmosOptions
        {
            Endpoint = Environment.GetEnvironmentVariable(LiveCosmosFactAttribute.EndpointVariable)!,
            Key = Environment.GetEnvironmentVariable(LiveCosmosFactAttribute.KeyVariable),
            DatabaseName = "mem0-conformance-" + Guid.NewGuid().ToString("N")[..12],
            EmbeddingDimensions = 4,
            VectorIndexType = CosmosVectorIndexKind.QuantizedFlat,
            CreateIfMissing = true,
        };
        var containers = new CosmosContainers(CosmosClientFactory.Create(options), CosmosLayout.LoadEmbedded().WithOverrides(options));
        var verifier = new CosmosLayoutVerifier(
            containers,
            Microsoft.Extensions.Options.Options.Create(options),
            new CosmosReadiness(TimeProvider.System),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CosmosLayoutVerifier>.Instance);
        Assert.Empty(await verifier.VerifyAsync());
        return new LiveCosmosDatabase(containers);
    }

    public async ValueTask DisposeAsync()
    {
        await Containers.Client.GetDatabase(Containers.Layout.DatabaseName).DeleteAsync();
        Containers.Client.Dispose();
    }
}

[LiveCosmosSuite]
public sealed class LiveCosmosMemoryStoreConformanceTests : MemoryStoreConformanceTests
{
    private LiveCosmosDatabase? _database;

    protected override async Task<IMemoryStore> CreateStoreAsync()
    {
        _database = await LiveCosmosDatabase.CreateAsync();
        return new CosmosMemoryStore(_database.Containers, FakeCosmosGateway.CreateTelemetry());
    }

    public override async Task DisposeAsync() => await (_database?.DisposeAsync() ?? ValueTask.CompletedTask);
}

[LiveCosmosSuite]
public sealed class LiveCosmosChangeOutboxConformanceTests : ChangeOutboxConformanceTests
{
    private LiveCosmosDatabase? _database;

    protected override async Task<IMemoryStore> CreateStoreAsync()
    {
        _database = await LiveCosmosDatabase.CreateAsync();
        return new CosmosMemoryStore(_database.Containers, FakeCosmosGateway.CreateTelemetry());
    }

    public override async Task DisposeAsync() => await (_database?.DisposeAsync() ?? ValueTask.CompletedTask);
}

[LiveCosmosSuite]
public sealed class LiveCosmosEventStoreConformanceTests : EventStoreConformanceTests
{
    private LiveCosmosDatabase? _database;

    protected override async Task<IEventStore> CreateStoreAsync()
    {
        _database = await LiveCosmosDatabase.CreateAsync();
        return new CosmosEventStore(_database.Containers, FakeCosmosGateway.CreateTelemetry());
    }

    public override async Task DisposeAsync() => await (_database?.DisposeAsync() ?? ValueTask.CompletedTask);
}

[LiveCosmosSuite]
public sealed class LiveCosmosProjectStoreConformanceTests : ProjectStoreConformanceTests
{
    private LiveCosmosDatabase? _database;

    protected override async Task<IProjectStore> CreateStoreAsync()
    {
        _database = await LiveCosmosDatabase.CreateAsync();
        return new CosmosProjectStore(_database.Containers, FakeCosmosGateway.CreateTelemetry());
    }

    public override async Task DisposeAsync() => await (_database?.DisposeAsync() ?? ValueTask.CompletedTask);
}

[LiveCosmosSuite]
public sealed class LiveCosmosWebhookStoreConformanceTests : WebhookStoreConformanceTests
{
    private LiveCosmosDatabase? _database;

    protected override async Task<IWebhookStore> CreateStoreAsync()
    {
        _database = await LiveCosmosDatabase.CreateAsync();
        return new CosmosWebhookStore(_database.Containers, FakeCosmosGateway.CreateTelemetry());
    }

    public override async Task DisposeAsync() => await (_database?.DisposeAsync() ?? ValueTask.CompletedTask);
}
