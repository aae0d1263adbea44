using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Core.Jobs;

public static class DependencyInjection
{
    /// <summary>The inline scheduler: runs jobs before the request returns. Hosts with a durable backend register theirs first.</summary>
    public static IServiceCollection AddInlineJobs(this IServiceCollection services)
    {
        services.AddJobActivities();
        services.TryAddSingleton<IJobScheduler, InlineJobScheduler>();
        return services;
    }

    /// <summary>Job options (<c>Mem0:Jobs</c>, validated at start), the activity bodies, and an in-memory payload store unless one is registered.</summary>
    public static IServiceCollection AddJobActivities(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IJobPayloadStore, InMemoryJobPayloadStore>();
        services.TryAddSingleton<Events.EventLifecycle>();
        services.TryAddSingleton<JobActivities>();
        services.TryAddSingleton<Memories.IPendingDeletes, EventPendingDeletes>();
        return services;
    }

    /// <summary>Jobs as Durable orchestrations, started through <paramref name="clientSource"/>'s client; replaces any scheduler registered before.</summary>
    public static IServiceCollection AddDurableJobScheduler<TClientSource>(this IServiceCollection services, JobSchedulingMode mode)
        where TClientSource : class, IDurableClientSource
    {
        services.AddJobActivities();
        services.TryAddSingleton<IDurableClientSource, TClientSource>();
        services.TryAddSingleton<IJobStarter, ImmediateJobStarter>();
        services.TryAddSingleton<JobSweeper>();
        services.AddSingleton(mode);
        services.Replace(ServiceDescriptor.Singleton<IJobScheduler, DurableJobScheduler>());
        return services;
    }
}
