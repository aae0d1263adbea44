using Azure.Core;
using Mem0.Azure.Identity;
using Mem0.Core.Events;
using Mem0.Core.Hosting;
using Mem0.Core.Projects;
using Mem0.Core.Webhooks;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Cosmos;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the Cosmos DB stores (memories and their webhook outbox, events, projects and keys, webhooks), the
    /// shared client, and the start-up layout check. Options come from "Mem0:Cosmos" and are validated at start.
    /// </summary>
    public static IHostApplicationBuilder AddCosmosStores(this IHostApplicationBuilder builder, Action<CosmosClientOptions>? configureClient = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CosmosOptions>()
            .Bind(builder.Configuration.GetSection(CosmosOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddCosmosStores(configureClient);
        return builder;
    }

    /// <summary>The registrations without binding options (for hosts and tests that configure <see cref="CosmosOptions"/> themselves).</summary>
    public static IServiceCollection AddCosmosStores(this IServiceCollection services, Action<CosmosClientOptions>? configureClient = null)
    {
        services.AddMetrics();
        services.AddSingleton(sp => CosmosLayout.LoadEmbedded().WithOverrides(sp.GetRequiredService<IOptions<CosmosOptions>>().Value));
        services.AddMem0AzureCredential();

        // CosmosClient is not an Azure.Core client, so Microsoft.Extensions.Azure cannot build it; it gets the same credential.
        services.AddSingleton(sp => CosmosClientFactory.Create(
            sp.GetRequiredService<IOptions<CosmosOptions>>().Value, sp.GetRequiredService<TokenCredential>(), configureClient));
        services.AddSingleton<CosmosContainers>();
        services.AddSingleton<CosmosTelemetry>();

        // Also the webhook outbox (the store's own history, so the same instance) and, with webhooks, their signal.
        services.AddMemoryStore<CosmosMemoryStore>();
        services.AddSingleton<IWebhookStore, CosmosWebhookStore>();
        services.AddSingleton<IEventStore, CosmosEventStore>();
        services.AddSingleton<IProjectStore, CosmosProjectStore>();
        // The layout is verified in the background; until it matches, API calls answer 503 and the health check says why.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CosmosReadiness>();
        services.AddHealthChecks().AddCheck<CosmosReadiness>("cosmos-layout");
        services.AddHostedService<CosmosLayoutVerifier>();
        return services;
    }
}
