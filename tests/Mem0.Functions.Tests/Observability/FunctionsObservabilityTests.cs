using System.Diagnostics;
using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Mem0.Core.Events;
using Mem0.Core.Hosting;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Functions.Http;
using Mem0.Functions.Tests.Http;
using Mem0.Testing.AI;
using Mem0.Testing.Hosting;
using Mem0.Testing.Stores;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;
using OpenTelemetry.Trace;

namespace Mem0.Functions.Tests.Observability;

/// <summary>The Functions host's probes and telemetry wiring (the triggers invoked directly; no Functions host here).</summary>
public sealed class FunctionsObservabilityTests
{
    [Fact]
    public async Task Healthz_Anonymous_AnswersHealthy()
    {
        using var host = await FunctionsTestHost.StartAsync();
        var context = host.Request("GET", "/healthz", authorized: false);

        var (status, body) = await FunctionsTestHost.RenderAsync(context, await HealthFunctions.Healthz(context.Request));

        Assert.Equal(200, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_StoreAnswers_IsReadyAndNamesTheCheck()
    {
        using var host = await FunctionsTestHost.StartAsync();
        var functions = ActivatorUtilities.CreateInstance<HealthFunctions>(host.Services);
        var context = host.Request("GET", "/readyz", authorized: false);

        var (status, body) = await FunctionsTestHost.RenderAsync(context, await functions.Readyz(context.Request));

        Assert.Equal(200, status);
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("store").GetString());
    }

    [Fact]
    public async Task Readyz_StoreFails_Answers503WithoutLeakingTheError()
    {
        var store = new Mock<IProjectStore>();
        store.Setup(s => s.GetProjectAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("AccountKey=secret-detail; endpoint https://private.example"));
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(store.Object);
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator());
        services.AddMem0Core();
        services.AddInMemoryStores();
        services.AddInlineJobs();
        await using var provider = services.BuildServiceProvider(Mem0.Core.Hosting.DependencyInjection.ValidatedContainerOptions);
        var functions = ActivatorUtilities.CreateInstance<HealthFunctions>(provider);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = provider };
        context.Response.Body = new MemoryStream();

        var (status, body) = await FunctionsTestHost.RenderAsync(context, await functions.Readyz(context.Request));

        Assert.Equal(503, status);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("store").GetString());
        var text = body.GetRawText();
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("private.example", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Build_WithApplicationInsights_ExportsWithTheAppCredential()
    {
        var settings = WiringSettings();
        settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:1/";
        using var host = BuildHost(settings);

        var exporter = host.Services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        Assert.NotNull(exporter.Credential);
        Assert.Same(host.Services.GetRequiredService<TokenCredential>(), exporter.Credential);
        Assert.NotNull(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public void Build_Always_RegistersStoreModelAndCosmosLayoutReadinessChecks()
    {
        using var host = BuildHost(WiringSettings());

        var names = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name);
        Assert.Equal(["cosmos-layout", "model", "store"], names.Order(StringComparer.Ordinal));
    }

    private static IHost BuildHost(Dictionary<string, string?> settings) => ProgramWiringTests.BuildHost(settings);

    private static Dictionary<string, string?> WiringSettings() => ProgramWiringTests.ValidSettings();
}
