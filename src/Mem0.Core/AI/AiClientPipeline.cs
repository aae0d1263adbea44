using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;

namespace Mem0.Core.AI;

/// <summary>
/// What every OpenAI-family client shares, whichever package builds it: HTTP through the resilient named
/// HttpClient (retries live there, not in the SDK, so there is one retry budget), and the chat defaults.
/// </summary>
public static class AiClientPipeline
{
    /// <summary>Name of the IHttpClientFactory client carrying the standard resilience handler.</summary>
    public const string HttpClientName = "Mem0.AI";

    /// <summary>ActivitySource and Meter of the model-call spans and metrics (GenAI semantic conventions).</summary>
    public const string TelemetrySourceName = "Mem0.AI";

    /// <summary>Routes an SDK client's requests through <paramref name="httpClient"/> and turns off the SDK's own retries.</summary>
    public static void Configure(ClientPipelineOptions options, HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        options.Transport = new HttpClientPipelineTransport(httpClient);
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);

        // The resilience handler enforces per-attempt and total timeouts; the SDK's own 100 s cap would cut across them.
        options.NetworkTimeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>Applies the configured defaults (temperature) to calls that do not set them, and traces every call.</summary>
    public static IChatClient WithDefaults(IChatClient inner, AiOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ChatClientBuilder(inner);
        if (options.Temperature is { } temperature)
        {
            builder.ConfigureOptions(chatOptions => chatOptions.Temperature ??= temperature);
        }

        // Inside the defaults, so the span records the temperature actually sent. Prompts and replies are memory text:
        // never recorded, whatever OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT says.
        return builder
            .UseOpenTelemetry(sourceName: TelemetrySourceName, configure: client => client.EnableSensitiveData = false)
            .Build();
    }

    /// <summary>Traces every embedding call (model, dimensions, token usage; never the input texts).</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> WithTelemetry(IEmbeddingGenerator<string, Embedding<float>> inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner)
            .UseOpenTelemetry(sourceName: TelemetrySourceName, configure: generator => generator.EnableSensitiveData = false)
            .Build();
    }
}
