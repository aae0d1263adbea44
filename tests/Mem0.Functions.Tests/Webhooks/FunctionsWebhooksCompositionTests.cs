using Mem0.Azure.Cosmos;
using Mem0.Azure.DataProtection;
using Mem0.Azure.Webhooks;
using Mem0.Core.Memories;
using Mem0.Core.Webhooks;
using Mem0.Functions.Webhooks;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Functions.Tests.Webhooks;

/// <summary>The webhook wiring of Program.cs (AddCosmosStores then AddFunctionsWebhooks), built but never started.</summary>
public sealed class FunctionsWebhooksCompositionTests : IDisposable
{
    private readonly HostApplicationBuilder _builder;
    private IHost? _host;

    public FunctionsWebhooksCompositionTests()
    {
        _builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        _builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Nothing is contacted: the host is never started and clients connect lazily.
            ["Mem0:Cosmos:Endpoint"] = "https://127.0.0.1:8081/",
            ["Mem0:Cosmos:Key"] = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
            ["Mem0:Webhooks:QueueServiceUri"] = "https://127.0.0.1:10001/devstoreaccount1",
            ["Mem0:DataProtection:BlobServiceUri"] = "https://127.0.0.1:10000/devstoreaccount1",
        });
        _builder.AddCosmosStores();
        _builder.AddFunctionsWebhooks();
    }

    private IServiceProvider Services => (_host ??= _builder.Build()).Services;

    public void Dispose() => _host?.Dispose();

    [Fact]
    public void AddFunctionsWebhooks_AfterCosmos_UsesTheCosmosWebhookStoreAndOutbox()
    {
        Assert.IsType<CosmosWebhookStore>(Services.GetRequiredService<IWebhookStore>());
        Assert.IsType<CosmosMemoryStore>(Services.GetRequiredService<IMemoryChangeOutbox>());
        // Writes go through the proxy that signals dispatch after each commit.
        Assert.IsAssignableFrom<DispatchSignallingMemoryStore>(Services.GetRequiredService<IMemoryStore>());
    }

    [Fact]
    public void AddFunctionsWebhooks_Transport_IsTheStorageQueueWithoutAnInProcessWorker()
    {
        Assert.IsType<StorageQueueNotificationTransport>(Services.GetRequiredService<INotificationTransport>());
        var hosted = _builder.Services.Where(d => d.ServiceType == typeof(IHostedService)).Select(d => d.ImplementationType).ToList();
        Assert.DoesNotContain(typeof(WebhookDeliveryWorker), hosted);
    }

    [Fact]
    public void AddFunctionsWebhooks_Dispatch_IsSignalledThroughTheQueueWithoutAPollingLoop()
    {
        Assert.NotNull(Services.GetRequiredService<WebhookDispatcher>());
        var signal = Assert.IsType<StorageQueueDispatchSignal>(Services.GetRequiredService<IWebhookDispatchSignal>());
        Assert.Equal(DispatchWebhooksFunction.QueueName, signal.Dispatch.Name);
        // Nothing polls: the dispatcher is not a background loop, and the local loop is not registered.
        Assert.False(typeof(IHostedService).IsAssignableFrom(typeof(WebhookDispatcher)));
        Assert.DoesNotContain(_builder.Services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(WebhookDispatchService));
        Assert.DoesNotContain(_builder.Services, d => d.ServiceType == typeof(InProcessDispatchSignal));
    }

    [Fact]
    public void AddFunctionsWebhooks_KeyRing_IsInBlobStorage()
    {
        var keys = Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value;

        Assert.IsType<BlobXmlRepository>(keys.XmlRepository);
    }

    [Fact]
    public void AddFunctionsWebhooks_NoKeyRingLocation_FailsValidation()
    {
        _builder.Configuration["Mem0:DataProtection:BlobServiceUri"] = null;

        var error = Assert.Throws<OptionsValidationException>(() => Services.GetRequiredService<IOptions<BlobDataProtectionOptions>>().Value);
        Assert.Contains("Mem0:DataProtection:BlobServiceUri", error.Message, StringComparison.Ordinal);
    }
}
