using System.ComponentModel.DataAnnotations;
using Mem0.Azure.Cosmos;
using Mem0.Core.Events;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddCosmosStores_ResolvesStoresOutboxAndVerifierOnOneClient()
    {
        using var gateway = new FakeCosmosGateway();
        var services = new ServiceCollection().AddLogging();
        services.AddOptions<CosmosOptions>().Configure(o =>
        {
            o.Endpoint = FakeCosmosGateway.Endpoint;
            o.Key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
        });
        services.AddCosmosStores(gateway.ConfigureClient);
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<CosmosMemoryStore>(provider.GetRequiredService<IMemoryStore>());
        Assert.Same(provider.GetRequiredService<IMemoryStore>(), provider.GetRequiredService<IMemoryChangeOutbox>());
        Assert.IsType<CosmosEventStore>(provider.GetRequiredService<IEventStore>());
        Assert.IsType<CosmosProjectStore>(provider.GetRequiredService<IProjectStore>());
        var verifier = Assert.Single(provider.GetServices<IHostedService>().OfType<CosmosLayoutVerifier>());
        await verifier.StartAsync(CancellationToken.None);
        await verifier.ExecuteTask!;
        Assert.Contains(gateway.Requests, r => r.Path == "dbs/mem0/colls/memories");
        Assert.True(provider.GetRequiredService<CosmosReadiness>().IsReady);
        await verifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void CosmosOptions_MissingEndpoint_FailsWithNamedSetting()
    {
        var options = new CosmosOptions();
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, r => r.ErrorMessage!.Contains("Mem0:Cosmos:Endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void CosmosOptions_DimensionsOutOfRange_AreInvalid()
    {
        var options = new CosmosOptions { Endpoint = "https://x.documents.azure.com/", EmbeddingDimensions = 5000 };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
    }
}
