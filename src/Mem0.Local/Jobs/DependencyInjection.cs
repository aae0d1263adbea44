using Mem0.Core.Jobs;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Local.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// The jobs on an in-process Durable Task backend (state in memory, a loopback gRPC listener): the same orchestrations
    /// and activities as the Functions app. Payloads are files under the data directory; per-scope serialization is the
    /// engine's in-process lock; events a previous process left unfinished are marked FAILED at start.
    /// </summary>
    public static IServiceCollection AddLocalDurableJobs(this IServiceCollection services, int? port = null)
    {
        services.Replace(ServiceDescriptor.Singleton<IJobPayloadStore, FileJobPayloadStore>());
        services.AddHostedService<InterruptedJobRecovery>();
        services.AddInMemoryDurableTask(registry => registry.AddMem0Jobs(), new InMemoryDurableTaskOptions { Port = port });
        services.AddDurableJobScheduler<DurableClientFromServices>(new JobSchedulingMode(UseEntityLock: false, TrackInstancesForPurge: true));
        services.AddHostedService<FinishedJobPurger>();
        return services;
    }

    private sealed class DurableClientFromServices(DurableTaskClient client) : IDurableClientSource
    {
        public DurableTaskClient GetClient() => client;
    }
}
