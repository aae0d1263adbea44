using System.Net;
using Mem0.Azure.Cosmos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class CosmosLayoutVerifierTests : IDisposable
{
    private readonly FakeCosmosGateway _gateway = new();
    private readonly CosmosContainers _containers;
    private readonly CosmosReadiness _readiness = new(TimeProvider.System);

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
        Options.Create(new CosmosOptions
        {
            Endpoint = FakeCosmosGateway.Endpoint,
            StartupRetryDelay = TimeSpan.FromMilliseconds(1),
            StartupRetryMaxDelay = TimeSpan.FromMilliseconds(4),
        }),
        _readiness,
        TimeProvider.System,
        NullLogger<CosmosLayoutVerifier>.Instance);

    /// <summary>Waits until the readiness satisfies <paramref name="condition"/>; the bound only keeps a broken test from hanging.</summary>
    private async Task WaitUntilAsync(Func<CosmosReadiness, bool> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition(_readiness))
        {
            await Task.Delay(5, guard.Token);
        }
    }

    [Fact]
    public async Task StartAsync_AllContainersMatch_BecomesReadyReadingOnly()
    {
        using var verifier = Verifier();

        await verifier.StartAsync(CancellationToken.None);
        await verifier.ExecuteTask!;

        Assert.True(_readiness.IsReady);
        Assert.Null(_readiness.Problem);
        Assert.Contains(_gateway.Requests, r => r.Path == "dbs/mem0/colls/memories");
        Assert.DoesNotContain(_gateway.Requests, r => r.Method != HttpMethod.Get);
        await verifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_ForbiddenUntilTheRoleApplies_ReportsNotReadyThenReady_WithoutThrowing()
    {
        // Right after provisioning: the data-plane role assignment is not effective yet, every read is 403.
        var roleApplied = false;
        _gateway.Intercept = r => !Volatile.Read(ref roleApplied) && r.Path.StartsWith("dbs/", StringComparison.Ordinal)
            ? FakeResponse.Error(HttpStatusCode.Forbidden)
            : null;
        using var verifier = Verifier();

        await verifier.StartAsync(CancellationToken.None);
        await WaitUntilAsync(r => r.Problem is not null && _gateway.Requests.Count(q => q.Path.StartsWith("dbs/", StringComparison.Ordinal)) >= 3);

        Assert.False(_readiness.IsReady);
        Assert.Contains("refused the app's identity (403)", _readiness.Problem, StringComparison.Ordinal);
        Assert.InRange(_readiness.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal("Unhealthy", (await _readiness.CheckHealthAsync(null!)).Status.ToString());

        Volatile.Write(ref roleApplied, true);
        await WaitUntilAsync(r => r.IsReady);
        await verifier.ExecuteTask!;

        Assert.Equal("Healthy", (await _readiness.CheckHealthAsync(null!)).Status.ToString());
        await verifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartAsync_MissingContainer_ReportsItNamingTheFix_AndRecoversOnceCreated()
    {
        _gateway.ContainerJson.TryRemove(CosmosContainerNames.History, out var history);
        using var verifier = Verifier();

        await verifier.StartAsync(CancellationToken.None);
        await WaitUntilAsync(r => r.Problem?.Contains("container 'history' is missing", StringComparison.Ordinal) == true);

        Assert.False(_readiness.IsReady);
        Assert.Contains("CreateIfMissing", _readiness.Problem, StringComparison.Ordinal);

        _gateway.ContainerJson[CosmosContainerNames.History] = history!;
        await WaitUntilAsync(r => r.IsReady);
        await verifier.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StopAsync_WhileRetrying_EndsTheLoop()
    {
        _gateway.Intercept = _ => FakeResponse.Error(HttpStatusCode.Forbidden);
        using var verifier = Verifier();
        await verifier.StartAsync(CancellationToken.None);
        await WaitUntilAsync(r => r.Problem?.Contains("403", StringComparison.Ordinal) == true);

        await verifier.StopAsync(CancellationToken.None);

        Assert.True(verifier.ExecuteTask!.IsCompletedSuccessfully);
        Assert.False(_readiness.IsReady);
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
