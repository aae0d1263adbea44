using Mem0.Core.Events;
using Mem0.Core.Hosting;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Core.Webhooks;
using Mem0.Testing.Jobs;
using Mem0.Testing.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Testing.Hosting;

/// <summary>
/// The test doubles as adapters, registered the way a host names its real ones (Core registers none): fixtures say
/// which doubles they use instead of inheriting them as silent fallbacks.
/// </summary>
public static class InMemoryAdapters
{
    /// <summary>
    /// In-memory memory store (also the webhook outbox, on the same instance), event, project and webhook stores and job
    /// payloads. A double registered before this call is kept, so a fixture can swap in one fake (a failing project
    /// store, say) and take the rest from here.
    /// </summary>
    public static IServiceCollection AddInMemoryStores(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(IMemoryStore)))
        {
            services.AddMemoryStore<InMemoryMemoryStore>();
        }

        AddIfMissing<IEventStore, InMemoryEventStore>(services);
        AddIfMissing<IProjectStore, InMemoryProjectStore>(services);
        AddIfMissing<IWebhookStore, InMemoryWebhookStore>(services);
        AddIfMissing<IJobPayloadStore, InMemoryJobPayloadStore>(services);
        return services;
    }

    /// <summary>Jobs run before the request returns (<see cref="InlineJobScheduler"/>), with Core's activity bodies.</summary>
    public static IServiceCollection AddInlineJobs(this IServiceCollection services)
    {
        services.AddJobActivities();
        services.AddSingleton<IJobScheduler, InlineJobScheduler>();
        return services;
    }

    private static void AddIfMissing<TService, TDouble>(IServiceCollection services)
        where TService : class
        where TDouble : class, TService
    {
        if (!services.Any(d => d.ServiceType == typeof(TService)))
        {
            services.AddSingleton<TService, TDouble>();
        }
    }
}
