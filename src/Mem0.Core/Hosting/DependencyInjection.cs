using Mem0.Core.Http;
using Mem0.Core.Memories;
using Mem0.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Hosting;

/// <summary>
/// The registration rule both hosts follow: Core registers its services and no adapter (no store, scheduler, payload
/// store, transport or embedder, and no in-memory fallback for any of them); each host names its adapters explicitly
/// (Mem0.Server: SQLite and the local jobs; Mem0.Functions: Cosmos DB, Durable Functions, Storage queues and Blobs), and
/// builds its container validated, so a forgotten adapter stops the host at start with the name of the missing service.
/// </summary>
public static class DependencyInjection
{
    /// <summary>The memory engine and what the API handlers need (options, auth, job activities, exports, readiness).</summary>
    public static IServiceCollection AddMem0Core(this IServiceCollection services)
    {
        services.AddMemoryEngine();
        services.AddMem0Api();
        return services;
    }

    /// <summary>
    /// Registers a memory store adapter once, under the three names it serves: itself, <see cref="IMemoryStore"/> and the
    /// webhook outbox (<see cref="IMemoryChangeOutbox"/>: the store's own history, so it must be the same instance). When
    /// the host has webhooks (an <see cref="IWebhookDispatchSignal"/>), <see cref="IMemoryStore"/> is the store wrapped so
    /// that each committed write signals the dispatcher. Decided when the store is first resolved, so the order of the
    /// host's <c>Add*</c> calls does not matter.
    /// </summary>
    public static IServiceCollection AddMemoryStore<TStore>(this IServiceCollection services)
        where TStore : class, IMemoryStore, IMemoryChangeOutbox
    {
        services.AddSingleton<TStore>();
        services.AddSingleton<IMemoryChangeOutbox>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IMemoryStore>(sp =>
        {
            var store = sp.GetRequiredService<TStore>();
            return sp.GetService<IWebhookDispatchSignal>() is { } signal
                ? DispatchSignallingMemoryStore.Create(store, signal, sp.GetRequiredService<ILoggerFactory>().CreateLogger<WebhookDispatcher>())
                : store;
        });
        return services;
    }

    /// <summary>How both hosts build their container: every registration checked at build, scoped services never captured by singletons.</summary>
    public static ServiceProviderOptions ValidatedContainerOptions => new() { ValidateOnBuild = true, ValidateScopes = true };

    /// <summary>
    /// Builds the host's container with <see cref="ValidatedContainerOptions"/> in every environment (the default validates
    /// in Development only), so a missing adapter fails <c>Build()</c> instead of the first request that needs it.
    /// </summary>
    public static IHostApplicationBuilder UseValidatedContainer(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(ValidatedContainerOptions));
        return builder;
    }
}
