using Mem0.Core.Jobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Local.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// The jobs on an in-process Durable Task backend (state in memory, a loopback gRPC listener): the same orchestrations
    /// and activities as the Functions app. Payloads are files under the data directory; per-scope serialization is the
    /// engine's in-process lock; jobs run one orchestration at a time (<see cref="SequentialJobStarter"/>), each purged when
    /// it ends; events a previous process left unfinished are marked FAILED at start.
    /// </summary>
    public static IServiceCollection AddLocalDurableJobs(this IServiceCollection services, int? port = null)
    {
        services.AddSingleton<FileJobPayloadStore>();
        services.Replace(ServiceDescriptor.Singleton<IJobPayloadStore>(sp => sp.GetRequiredService<FileJobPayloadStore>()));
        services.AddHostedService<InterruptedJobRecovery>();
        services.AddHostedService<StagedPayloadSweep>();
        // The backend's own default is a random port in 30000-40000 without checking it is free; take one the OS says is free.
        services.AddInMemoryDurableTask(registry => registry.AddMem0Jobs(), new InMemoryDurableTaskOptions { Port = port ?? FreeLoopbackPort() });
        // One import chunk at a time unless configured: the embedder already spreads a chunk over every core, and a second
        // activity in flight pushes the in-memory backend into its 500 ms re-check (631 vs 580 items/s on 2 cores).
        services.AddOptions<JobsOptions>().PostConfigure<IConfiguration>((jobs, configuration) =>
        {
            if (string.IsNullOrWhiteSpace(configuration[$"{JobsOptions.SectionName}:{nameof(JobsOptions.ImportConcurrency)}"]))
            {
                jobs.ImportConcurrency = 1;
            }
        });
        services.AddSingleton<SequentialJobStarter>();
        services.AddSingleton<IJobStarter>(sp => sp.GetRequiredService<SequentialJobStarter>());
        services.AddHostedService(sp => sp.GetRequiredService<SequentialJobStarter>());
        services.AddDurableJobScheduler<DurableClientFromServices>(new JobSchedulingMode(UseEntityLock: false));
        services.AddHostedService<JobSweepService>();
        return services;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class DurableClientFromServices(DurableTaskClient client) : IDurableClientSource
    {
        public DurableTaskClient GetClient() => client;
    }
}
