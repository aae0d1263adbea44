using Azure;
using Azure.Core;
using Azure.Identity;
using Mem0.Azure.AI;
using Mem0.Azure.Cosmos;
using Mem0.Azure.DataProtection;
using Mem0.Azure.Identity;
using Mem0.Azure.Jobs;
using Mem0.Azure.Tests.Cosmos;
using Mem0.Azure.Webhooks;
using Mem0.Core.Jobs;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Tests.Identity;

/// <summary>One credential for every Azure client: chosen by options, registered once, used by Cosmos, Blob, Queue and OpenAI.</summary>
public sealed class AzureCredentialTests : IAsyncLifetime
{
    // Nothing listens on port 1: a storage call fails at once, after its token was requested (retries are off below).
    private const string ClosedStorageEndpoint = "https://127.0.0.1:1/devstoreaccount1";

    private FakeOpenAIServer _openAI = null!;

    public async Task InitializeAsync() => _openAI = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _openAI.DisposeAsync();

    [Theory]
    [InlineData(AzureCredentialKind.Auto, "00000000-0000-0000-0000-000000000001", typeof(ManagedIdentityCredential))]
    [InlineData(AzureCredentialKind.Auto, null, typeof(DefaultAzureCredential))]
    [InlineData(AzureCredentialKind.ManagedIdentity, null, typeof(ManagedIdentityCredential))]
    [InlineData(AzureCredentialKind.Developer, "00000000-0000-0000-0000-000000000001", typeof(DefaultAzureCredential))]
    public void Create_Kind_GivesTheMatchingCredential(AzureCredentialKind kind, string? clientId, Type expected)
    {
        var credential = AzureCredentialFactory.Create(new AzureIdentityOptions { Credential = kind, ManagedIdentityClientId = clientId });

        Assert.IsType(expected, credential);
    }

    [Fact]
    public void AddMem0AzureCredential_AzureClientIdSetting_SelectsTheUserAssignedIdentity()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["AZURE_CLIENT_ID"] = "00000000-0000-0000-0000-000000000002" });
        builder.Services.AddMem0AzureCredential();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<AzureIdentityOptions>>().Value;
        Assert.Equal("00000000-0000-0000-0000-000000000002", options.ManagedIdentityClientId);
        Assert.Equal(AzureCredentialKind.ManagedIdentity, options.EffectiveCredential);
        Assert.IsType<ManagedIdentityCredential>(host.Services.GetRequiredService<TokenCredential>());
        Assert.Same(host.Services.GetRequiredService<TokenCredential>(), host.Services.GetRequiredService<TokenCredential>());
    }

    [Fact]
    public async Task EveryAzureClient_UsesTheOneRegisteredCredential()
    {
        var credential = new RecordingTokenCredential("the-one-token");
        using var gateway = new FakeCosmosGateway();
        using var host = BuildAllAzureClients(credential, gateway);
        var services = host.Services;

        Assert.Same(credential, services.GetRequiredService<TokenCredential>());

        // Cosmos DB: the fake gateway sees an Entra (AAD) authorization carrying the token.
        await services.GetRequiredService<CosmosClient>().ReadAccountAsync();
        Assert.Contains(gateway.Requests, r => Uri.UnescapeDataString(r.Header("authorization") ?? "").Contains("type=aad", StringComparison.Ordinal)
            && Uri.UnescapeDataString(r.Header("authorization") ?? "").Contains("the-one-token", StringComparison.Ordinal));
        var afterCosmos = credential.RequestedScopes.Count;
        Assert.True(afterCosmos > 0);

        // Storage: job payloads, webhook queue and the Data Protection key ring each ask it for a storage token.
        var payloads = Assert.IsType<BlobJobPayloadStore>(services.GetRequiredService<IJobPayloadStore>());
        await Assert.ThrowsAsync<RequestFailedException>(() => payloads.ReadAsync("p/e/add.json"));
        var afterJobs = credential.RequestedScopes.Count;
        Assert.True(afterJobs > afterCosmos);

        var transport = services.GetRequiredService<StorageQueueNotificationTransport>();
        await Assert.ThrowsAsync<RequestFailedException>(() => transport.Deliveries.ExistsAsync());
        var afterQueue = credential.RequestedScopes.Count;
        Assert.True(afterQueue > afterJobs);

        var repository = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository!;
        Assert.Throws<RequestFailedException>(() => repository.GetAllElements());
        var afterKeys = credential.RequestedScopes.Count;
        Assert.True(afterKeys > afterQueue);
        Assert.Contains("https://storage.azure.com/.default", credential.RequestedScopes);

        // Azure OpenAI: chat and embeddings over the v1 surface with the same credential's bearer token.
        await services.GetRequiredService<IChatClient>().GetResponseAsync("hi");
        await services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["hi"]);
        Assert.Contains(AzureOpenAIClientFactory.TokenScope, credential.RequestedScopes);
        Assert.All(_openAI.Requests, r => Assert.Equal("Bearer the-one-token", r.Header("Authorization")));
    }

    private IHost BuildAllAzureClients(TokenCredential credential, FakeCosmosGateway gateway)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mem0:Cosmos:Endpoint"] = FakeCosmosGateway.Endpoint,
            ["Mem0:AI:Provider"] = "AzureOpenAI",
            ["Mem0:AI:Endpoint"] = _openAI.BaseUri.ToString(),
            ["Mem0:AI:ChatModel"] = "chat",
            ["Mem0:AI:EmbeddingProvider"] = "AzureOpenAI",
            ["Mem0:AI:EmbeddingModel"] = "embed",
            ["Mem0:AI:MaxRetries"] = "0",
            ["Mem0:Jobs:BlobServiceUri"] = ClosedStorageEndpoint,
            ["Mem0:Webhooks:QueueServiceUri"] = ClosedStorageEndpoint,
            ["Mem0:DataProtection:BlobServiceUri"] = ClosedStorageEndpoint,
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(credential);
        builder.AddCosmosStores(gateway.ConfigureClient);
        builder.AddAzureOpenAI();
        builder.Services.AddBlobJobPayloads();
        builder.Services.AddOptions<Mem0.Core.Webhooks.WebhookOptions>().BindConfiguration(Mem0.Core.Webhooks.WebhookOptions.SectionName);
        builder.AddStorageQueueWebhookTransport(runWorker: false);
        builder.AddBlobDataProtection();
        builder.Services.AddAzureClients(clients => clients.ConfigureDefaults(options => options.Retry.MaxRetries = 0));
        return builder.Build();
    }
}
