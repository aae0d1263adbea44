using Mem0.Functions.Http;
using Mem0.Functions.Webhooks;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Functions.Tests.Http;

/// <summary>
/// Builds the real Functions host graph (it cannot run here: no Functions host) and resolves every function class,
/// so a missing registration fails here instead of at the first request in Azure. Nothing is contacted.
/// </summary>
public sealed class ProgramWiringTests
{
    /// <summary>The Functions app's container as Program.cs builds it (shared with the observability tests).</summary>
    internal static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMem0Functions();
        return builder.Build();
    }

    /// <summary>Settings that make a complete, valid wiring without contacting anything.</summary>
    internal static Dictionary<string, string?> ValidSettings() => new()
    {
        ["Mem0:Cosmos:Endpoint"] = "https://127.0.0.1:8081/",
        ["Mem0:AI:Provider"] = "None",
        ["Mem0:AI:EmbeddingProvider"] = "AzureOpenAI",
        ["Mem0:AI:Endpoint"] = "https://127.0.0.1:9/",
        ["Mem0:AI:EmbeddingModel"] = "text-embedding-3-small",
        ["Mem0:AI:EmbeddingDimensions"] = "1536",
        ["Mem0:Admin:KeyHash"] = new string('a', 64),
        ["Mem0:Webhooks:QueueServiceUri"] = "https://127.0.0.1:10001/devstoreaccount1",
        ["Mem0:Jobs:BlobServiceUri"] = "https://127.0.0.1:10000/devstoreaccount1",
        ["Mem0:DataProtection:BlobServiceUri"] = "https://127.0.0.1:10000/devstoreaccount1",
    };

    [Theory]
    [InlineData(typeof(PingFunctions))]
    [InlineData(typeof(MemoryFunctions))]
    [InlineData(typeof(EntityFunctions))]
    [InlineData(typeof(BatchFunctions))]
    [InlineData(typeof(EventFunctions))]
    [InlineData(typeof(LegacyFunctions))]
    [InlineData(typeof(FeedbackFunctions))]
    [InlineData(typeof(ExportFunctions))]
    [InlineData(typeof(ProjectFunctions))]
    [InlineData(typeof(WebhookFunctions))]
    [InlineData(typeof(AdminFunctions))]
    [InlineData(typeof(HealthFunctions))]
    [InlineData(typeof(McpFunctions))]
    [InlineData(typeof(DeliverWebhookFunction))]
    [InlineData(typeof(Mem0HttpMiddleware))]
    [InlineData(typeof(Mem0.Functions.Jobs.JobFunctions))]
    [InlineData(typeof(Mem0.Functions.Jobs.ImportFunctions))]
    [InlineData(typeof(Mem0.Functions.Jobs.JobSweepFunction))]
    [InlineData(typeof(Mem0.Functions.Jobs.ReembedMemoriesFunction))]
    public void Build_EveryFunctionClass_Resolves(Type functionClass)
    {
        using var host = BuildHost(ValidSettings());

        Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, functionClass));
    }

    [Fact]
    public void Build_Jobs_UseTheDurableSchedulerAndBlobPayloads()
    {
        using var host = BuildHost(ValidSettings());

        Assert.IsType<Mem0.Core.Jobs.DurableJobScheduler>(host.Services.GetRequiredService<Mem0.Core.Jobs.IJobScheduler>());
        Assert.IsType<Mem0.Azure.Jobs.BlobJobPayloadStore>(host.Services.GetRequiredService<Mem0.Core.Jobs.IJobPayloadStore>());
        Assert.True(host.Services.GetRequiredService<Mem0.Core.Jobs.JobSchedulingMode>().UseEntityLock);
    }

    [Fact]
    public void Build_MissingCosmosEndpoint_FailsValidationNamingTheSetting()
    {
        var settings = ValidSettings();
        settings.Remove("Mem0:Cosmos:Endpoint");
        using var host = BuildHost(settings);

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<Azure.Cosmos.CosmosOptions>>().Value);

        Assert.Contains("Mem0:Cosmos:Endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ImportLimit_WithoutHostSetting_IsTheHostsDefaultNot256MiB()
    {
        using var host = BuildHost(ValidSettings());

        Assert.Equal(104_857_600, host.Services.GetRequiredService<IOptions<Mem0.Core.Jobs.JobsOptions>>().Value.MaxImportBytes);
    }

    [Theory]
    [InlineData("314572800", null, 268_435_456)]          // host allows 300 MiB: the app's own 256 MiB default stands
    [InlineData("314572800", "209715200", 209_715_200)]   // both set: the smaller
    [InlineData("52428800", null, 52_428_800)]            // host allows 50 MiB: the app says 50 MiB too
    [InlineData("not-a-number", null, 104_857_600)]       // the host ignores it and keeps 100 MiB; so do we
    public void Build_ImportLimit_NeverExceedsFunctionsRequestBodySizeLimit(string hostLimit, string? appLimit, long expected)
    {
        var settings = ValidSettings();
        settings[FunctionsHostLimits.RequestBodySizeSetting] = hostLimit;
        if (appLimit is not null)
        {
            settings["Mem0:Jobs:MaxImportBytes"] = appLimit;
        }

        using var host = BuildHost(settings);

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<Mem0.Core.Jobs.JobsOptions>>().Value.MaxImportBytes);
    }

    [Fact]
    public void Build_CosmosReadiness_GatesTheApiAndIsAHealthCheck()
    {
        using var host = BuildHost(ValidSettings());

        // The check's state (a background service: Mem0.Azure.Tests) gates API calls and feeds the health checks.
        var readiness = host.Services.GetRequiredService<Azure.Cosmos.CosmosReadiness>();
        Assert.False(readiness.IsReady);
        var middleware = ActivatorUtilities.CreateInstance<Mem0HttpMiddleware>(host.Services);
        Assert.Same(readiness, typeof(Mem0HttpMiddleware).GetField("_readiness", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(middleware));
        var checks = host.Services.GetRequiredService<IOptions<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Contains(checks, c => c.Name == "cosmos-layout");
    }
}
