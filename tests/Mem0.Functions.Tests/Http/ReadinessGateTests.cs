using Mem0.Azure.Cosmos;
using Mem0.Core.Http;
using Mem0.Functions.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Functions.Tests.Http;

/// <summary>Until the Cosmos DB layout is verified, API calls answer 503 with Retry-After instead of failing inside.</summary>
public sealed class ReadinessGateTests : IAsyncLifetime
{
    private readonly CosmosReadiness _readiness = new(TimeProvider.System);
    private FunctionsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await FunctionsTestHost.StartAsync();

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Mem0HttpMiddleware Middleware => new(_host.Services.GetRequiredService<ApiKeyAuthenticator>(), _readiness);

    [Fact]
    public async Task NotReadyAsync_StoreNotReady_Answers503WithRetryAfterAndContractBody()
    {
        _readiness.ReportNotReady("Cosmos DB refused the app's identity (403)", DateTimeOffset.UtcNow.AddSeconds(30));
        var context = _host.Request("POST", "/v3/memories/search/");

        var result = await Middleware.NotReadyAsync(nameof(MemoryFunctions.SearchMemories), context);

        var (status, body) = await FunctionsTestHost.RenderAsync(context, result!);
        Assert.Equal(503, status);
        Assert.InRange(int.Parse(context.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 30);
        Assert.Contains("not ready", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The reason is for operators (logs, health check), not for API callers.
        Assert.DoesNotContain("403", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotReadyAsync_AdminRouteToo_BecauseItNeedsTheStore()
    {
        _readiness.ReportNotReady("missing container", DateTimeOffset.UtcNow.AddSeconds(2));
        var context = _host.Request("POST", "/v1/admin/projects/", authorized: false);

        Assert.NotNull(await Middleware.NotReadyAsync(nameof(AdminFunctions.AdminCreateProject), context));
    }

    [Fact]
    public async Task NotReadyAsync_Ready_Continues()
    {
        _readiness.ReportReady();
        var context = _host.Request("GET", "/v1/ping/");

        Assert.Null(await Middleware.NotReadyAsync(nameof(PingFunctions.Ping), context));
    }

    [Fact]
    public async Task NotReadyAsync_DuringTheFirstCheck_WaitsForItsOutcome()
    {
        // A cold start's first request arrives while the verifier is still checking: it is served once the check passes.
        var context = _host.Request("GET", "/v1/ping/");

        var pending = Middleware.NotReadyAsync(nameof(PingFunctions.Ping), context);
        Assert.False(pending.IsCompleted);
        _readiness.ReportReady();

        Assert.Null(await pending);
    }

    [Fact]
    public async Task NotReadyAsync_NonApiFunction_PassesThrough()
    {
        var context = _host.Request("POST", "/anything", authorized: false);

        Assert.Null(await Middleware.NotReadyAsync("DeliverWebhook", context));
    }
}
