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

    /// <summary>Applies the configured defaults (temperature) to calls that do not set them.</summary>
    public static IChatClient WithDefaults(IChatClient inner, AiOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Temperature is not { } temperature)
        {
            return inner;
        }

        return new ChatClientBuilder(inner)
            .ConfigureOptions(chatOptions => chatOptions.Temperature ??= temperature)
            .Build();
    }
}
