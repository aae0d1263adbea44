using Mem0.Core.Http;
using Mem0.Core.Observability;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OpenTelemetry;

namespace Mem0.Server.Observability;

public static class DependencyInjection
{
    /// <summary>The standard OpenTelemetry setting; when set, traces, metrics and logs go there over OTLP.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The local server's telemetry (the shared Mem0 instrumentation, exported over OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: nothing leaves the machine by default), the model readiness check behind
    /// <c>GET /readyz</c>, and the OpenAPI document of the route table.
    /// </summary>
    public static WebApplicationBuilder AddServerObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var telemetry = builder.AddMem0Telemetry("mem0-server");
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointSetting]))
        {
            // Reads the other OTEL_EXPORTER_OTLP_* settings (protocol, headers) from configuration itself.
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks().AddCheck<LocalModelHealthCheck>(LocalModelHealthCheck.Name);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            DescribeApi(document);
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>
    /// Titles the document, names the API-key scheme, and restores the exact route templates: the generator trims
    /// trailing slashes, but the Mem0 contract (and its clients) spell every path with one.
    /// </summary>
    internal static void DescribeApi(OpenApiDocument document)
    {
        document.Info.Title = "Mem0-compatible memory API";
        document.Info.Description = "Memory routes take 'Authorization: Token <api key>'; admin routes take 'X-Mem0-Admin-Key'; /healthz and /readyz are anonymous.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Token"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "Authorization",
            Description = "'Token <api key>'",
        };

        var routes = Mem0Routes.Hosted.ToDictionary(r => (r.Method, r.Template));
        var templates = Mem0Routes.Hosted.Select(r => r.Template).ToHashSet(StringComparer.Ordinal);
        var paths = new OpenApiPaths();
        foreach (var (generated, item) in document.Paths)
        {
            var path = templates.Contains(generated + "/") ? generated + "/" : generated;
            paths[path] = item;
            foreach (var (method, operation) in item.Operations ?? [])
            {
                if (routes.TryGetValue((method.Method, path), out var route) && route.RequiresApiKey)
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Token", document)] = [] }];
                }
            }
        }

        document.Paths = paths;
    }

    /// <summary>Serves the OpenAPI document at <c>GET /openapi/v1.json</c> (anonymous: it describes routes, not data).</summary>
    public static WebApplication MapServerObservability(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi();
        return app;
    }
}
