using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using Mem0.Azure.Identity;
using Mem0.Core.Observability;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mem0.Functions.Observability;

public static class DependencyInjection
{
    /// <summary>The Application Insights setting the platform and the Bicep use; its presence turns the exporter on.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// OpenTelemetry in the worker: the shared Mem0 instrumentation, the Functions worker's invocation spans and
    /// resource attributes, and — when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set — the Azure Monitor exporter
    /// for traces, metrics and logs, authenticating with the app's one credential (the Bicep disables key-based
    /// ingestion). Plus the model readiness check behind <c>GET /readyz</c>.
    /// </summary>
    public static FunctionsApplicationBuilder AddFunctionsObservability(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Azure.Core-based SDKs (Cosmos DB's operation spans among them) emit on an ActivitySource only with this switch,
        // read once per process: set it before any client exists.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        var telemetry = builder.AddMem0Telemetry("mem0-functions").UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[ConnectionStringSetting]))
        {
            builder.Services.AddMem0AzureCredential();
            telemetry.UseAzureMonitorExporter();
            builder.Services.AddOptions<AzureMonitorExporterOptions>()
                .Configure<TokenCredential>((options, credential) => options.Credential = credential);
        }

        builder.Services.AddHealthChecks().AddCheck<ConfiguredModelHealthCheck>(ConfiguredModelHealthCheck.Name);
        return builder;
    }

    /// <summary>
    /// Readiness of the models without calling them (a call costs money and an anonymous probe must not): the embedding
    /// generator, and the chat client when one is configured, can be built from the settings.
    /// </summary>
    internal sealed class ConfiguredModelHealthCheck(IServiceProvider services) : IHealthCheck
    {
        public const string Name = "model";

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
                services.GetService<IChatClient>();
                return Task.FromResult(HealthCheckResult.Healthy());
            }
            catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The model clients cannot be built.", ex));
            }
        }
    }
}
