using Mem0.Core.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mem0.Core.Observability;

public static class DependencyInjection
{
    /// <summary>
    /// OpenTelemetry traces, metrics and logs shared by both hosts: incoming HTTP (ASP.NET Core), outgoing HTTP
    /// (HttpClient: OpenAI, Storage, webhooks), Cosmos DB operations, jobs and model calls. No exporter is added
    /// here; each host adds its own (OTLP locally, Azure Monitor in Functions), so without one nothing leaves the process.
    /// Health probes are not traced: they would drown the requests.
    /// </summary>
    public static OpenTelemetryBuilder AddMem0Telemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddOpenTelemetry(logging => logging.IncludeFormattedMessage = true);
        return builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !HealthEndpoints.IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource(Mem0Telemetry.TraceSources))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter(Mem0Telemetry.Meters));
    }
}
