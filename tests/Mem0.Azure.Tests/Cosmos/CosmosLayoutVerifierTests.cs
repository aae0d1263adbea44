using Mem0.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class CosmosLayoutVerifierTests : IDisposable
{
    private readonly FakeCosmosGateway _gateway = new();
    private readonly CosmosContainers _containers;

    public CosmosLayoutVerifierTests()
    {
        _containers = _gateway.CreateContainers();
    }

    public void Dispose()
    {
        _containers.Client.Dispose();
        _gateway.Dispose();
    }

    private CosmosLayoutVerifier Verifier(CosmosContainers? containers = null) => new(
        containers ?? _containers,
        Options.Create(new CosmosOptions { Endpoint = FakeCosmosGateway.Endpoint }),
        NullLogger<CosmosLayoutVerifier>.Instance);

    [Fact]
    public async Task StartAsync_AllContainersMatch_Succeeds()
    {
        await Verifier().StartAsync(CancellationToken.None);

        Assert.Contains(_gateway.Requests, r => r.Path == "dbs/mem0/colls/memories");
        Assert.DoesNotContain(_gateway.Requests, r => r.Method != HttpMethod.Get);
    }

    [Fact]
    public async Task StartAsync_MissingContainer_FailsNamingIt()
    {
        _gateway.ContainerJson.TryRemove(CosmosContainerNames.History, out _);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Verifier().StartAsync(CancellationToken.None));

        Assert.Contains("container 'history' is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("CreateIfMissing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_DimensionMismatch_ReportsIt()
    {
        // The app expects 384-dimension vectors; the container was created for 1536.
        var layout = _containers.Layout.WithOverrides(new CosmosOptions { Endpoint = FakeCosmosGateway.Endpoint, EmbeddingDimensions = 384 });
        var containers = new CosmosContainers(_containers.Client, layout);

        var problems = await Verifier(containers).VerifyAsync();

        var problem = Assert.Single(problems);
        Assert.StartsWith("container 'memories': vector /embedding has 1536 dimensions, expected 384", problem, StringComparison.Ordinal);
    }
}
