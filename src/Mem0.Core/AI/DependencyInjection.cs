using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Mem0.Core.AI;

public static class DependencyInjection
{
    /// <summary>
    /// Binds and validates "Mem0:AI", registers the resilient HttpClient every AI client uses, an
    /// <see cref="IChatClient"/> when a provider is set, and an embedding generator for the OpenAI-family
    /// embedding providers. The local embedder comes from Mem0.Local's AddLocalEmbeddings; keyless Azure
    /// OpenAI from Mem0.Azure's AddAzureOpenAI (which calls this).
    /// </summary>
    public static IHostApplicationBuilder AddMem0AI(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Idempotent: AddAzureOpenAI calls this too, and a second resilience handler would nest retries.
        if (builder.Services.Any(descriptor => descriptor.ServiceType == typeof(OpenAIClientFactory)))
        {
            return builder;
        }

        builder.Services.AddOptions<AiOptions>()
            .BindConfiguration(AiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddHttpClient(AiClientPipeline.HttpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider services) =>
                ConfigureResilience(resilience, services.GetRequiredService<IOptions<AiOptions>>().Value));

        builder.Services.TryAddSingleton<OpenAIClientFactory>();

        // Which clients exist is decided at registration, so consumers can ask for IChatClient? and get null when none is configured.
        var ai = builder.Configuration.GetSection(AiOptions.SectionName).Get<AiOptions>() ?? new AiOptions();
        if (ai.Provider != AiProvider.None && !ai.UsesKeylessAzureChat)
        {
            builder.Services.TryAddSingleton(services => services.GetRequiredService<OpenAIClientFactory>().CreateChatClient());
        }

        if (ai.EmbeddingProvider != EmbeddingProvider.Local && !ai.UsesKeylessAzureEmbeddings)
        {
            builder.Services.TryAddSingleton(services => services.GetRequiredService<OpenAIClientFactory>().CreateEmbeddingGenerator());
        }

        return builder;
    }

    /// <summary>Retries 429/5xx/timeouts with exponential backoff (Retry-After wins when sent) within per-attempt and total timeouts.</summary>
    internal static void ConfigureResilience(HttpStandardResilienceOptions resilience, AiOptions ai)
    {
        var attempt = TimeSpan.FromSeconds(ai.TimeoutSeconds);
        resilience.AttemptTimeout.Timeout = attempt;
        resilience.Retry.ShouldRetryAfterHeader = true;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.Delay = TimeSpan.FromSeconds(1);
        resilience.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        if (ai.MaxRetries == 0)
        {
            // Polly requires at least one attempt to be configured; handling nothing disables it.
            resilience.Retry.MaxRetryAttempts = 1;
            resilience.Retry.ShouldHandle = static _ => PredicateResult.False();
        }
        else
        {
            resilience.Retry.MaxRetryAttempts = ai.MaxRetries;
        }

        // Room for every attempt plus the longest backoffs between them.
        resilience.TotalRequestTimeout.Timeout = (attempt * (ai.MaxRetries + 1)) + (resilience.Retry.MaxDelay.Value * ai.MaxRetries);

        // The options validator requires the breaker's sampling window to be at least twice the attempt timeout.
        var sampling = attempt * 2;
        if (resilience.CircuitBreaker.SamplingDuration < sampling)
        {
            resilience.CircuitBreaker.SamplingDuration = sampling;
        }
    }
}
