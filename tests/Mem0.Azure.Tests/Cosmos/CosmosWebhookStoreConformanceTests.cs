using Mem0.Azure.Cosmos;
using Mem0.Core.Webhooks;
using Mem0.Testing.Stores;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>The shared webhook store suite against <see cref="CosmosWebhookStore"/> over the stateful fake gateway.</summary>
public sealed class CosmosWebhookStoreConformanceTests : WebhookStoreConformanceTests
{
    private readonly FakeCosmosGateway _gateway = new();
    private CosmosContainers? _containers;

    protected override Task<IWebhookStore> CreateStoreAsync()
    {
        _ = new FakeCosmosDocuments(_gateway);
        _containers = _gateway.CreateContainers();
        return Task.FromResult<IWebhookStore>(new CosmosWebhookStore(_containers, FakeCosmosGateway.CreateTelemetry()));
    }

    public override Task DisposeAsync()
    {
        _containers?.Client.Dispose();
        _gateway.Dispose();
        return Task.CompletedTask;
    }
}
