using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Core.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// Job options (<c>Mem0:Jobs</c>, validated at start) and the activity bodies. The payload store
    /// (<see cref="IJobPayloadStore"/>) and the scheduler are adapters the host names; without them the container does not build.
    /// </summary>
    public static IServiceCollection AddJobActivities(this IServiceCollection services)
    {
        services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Events.EventLifecycle>();
        services.TryAddSingleton<JobActivities>();
        services.TryAddSingleton<Memories.IPendingDeletes, EventPendingDeletes>();
        return services;
    }

    /// <summary>
    /// Jobs as Durable orchestrations, started through <typeparamref name="TClientSource"/>'s client. The host also names
    /// how orchestrations are started (<see cref="IJobStarter"/>: <see cref="ImmediateJobStarter"/> or a queue of its own).
    /// </summary>
    public static IServiceCollection AddDurableJobScheduler<TClientSource>(this IServiceCollection services, JobSchedulingMode mode)
        where TClientSource : class, IDurableClientSource
    {
        services.AddJobActivities();
        services.AddSingleton<IDurableClientSource, TClientSource>();
        services.AddSingleton<JobSweeper>();
        services.AddSingleton(mode);
        services.AddSingleton<IJobScheduler, DurableJobScheduler>();
        return services;
    }
}
