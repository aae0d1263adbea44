using DurableTask.AzureStorage;
using DurableTask.Core;
using Mem0.Core.Jobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// The jobs on the embedded backend: a Durable Task Framework worker in this process over an in-memory orchestration
    /// service, with the same orchestrations and activities as the Functions app. State is in memory (no port, no other
    /// process): jobs run one orchestration at a time (<see cref="SequentialJobStarter"/>), each purged when it ends, and
    /// events a previous process left unfinished are marked FAILED at start. Payloads are files under the data directory.
    /// </summary>
    public static IServiceCollection AddLocalDurableJobs(this IServiceCollection services)
    {
        services.AddSingleton<FileJobPayloadStore>();
        services.AddSingleton<IJobPayloadStore>(sp => sp.GetRequiredService<FileJobPayloadStore>());
        services.AddSingleton(new LocalJobBackend(Durable: false));
        services.AddHostedService<InterruptedJobRecovery>();
        services.AddHostedService<StagedPayloadSweep>();
        services.AddSingleton<IOrchestrationService>(sp => new InMemoryOrchestrationService(sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<SequentialJobStarter>();
        services.AddSingleton<IJobStarter>(sp => sp.GetRequiredService<SequentialJobStarter>());
        AddWorkerAndClient(services);

        // The lane starts after the worker (hosted services start in registration order).
        services.AddHostedService(sp => sp.GetRequiredService<SequentialJobStarter>());
        return services;
    }

    /// <summary>
    /// The jobs on the Durable Task Azure Storage provider — the backend the Functions app runs on — against the storage
    /// account in <paramref name="connectionString"/> (Azurite: <c>UseDevelopmentStorage=true</c>). Instances, history and
    /// queues live in that storage, so a job interrupted by a crash or restart resumes where it was when the server
    /// starts again. Each orchestration is scheduled before the request returns; finished instances are purged by the
    /// periodic sweep. Register a payload store that survives restarts as well (Blob storage).
    /// </summary>
    public static IServiceCollection AddStorageDurableJobs(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.AddOptions<TaskHubOptions>().BindConfiguration(TaskHubOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(new LocalJobBackend(Durable: true));
        services.AddSingleton<IOrchestrationService>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TaskHubOptions>>().Value;
            return new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
            {
                TaskHubName = options.TaskHub,
                StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
                PartitionCount = options.PartitionCount,
                MaxQueuePollingInterval = options.MaxQueuePollingInterval,
                ControlQueueVisibilityTimeout = options.MessageVisibilityTimeout,
                WorkItemQueueVisibilityTimeout = options.MessageVisibilityTimeout,
                UseTablePartitionManagement = true,
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            });
        });
        services.AddSingleton<IJobStarter, ImmediateJobStarter>();
        AddWorkerAndClient(services);
        return services;
    }

    private static void AddWorkerAndClient(IServiceCollection services)
    {
        services.AddSingleton(_ => new DurableTaskRegistry().AddMem0Jobs());
        services.AddSingleton<TaskHubJobWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TaskHubJobWorker>());
        services.AddSingleton<DurableTaskClient>(sp => new TaskHubJobClient((IOrchestrationServiceClient)sp.GetRequiredService<IOrchestrationService>()));

        // The framework logs every dispatch at Information; the server's log is about the API. Warnings still show.
        services.AddLogging(logging =>
        {
            logging.AddFilter("DurableTask", LogLevel.Warning);
            logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        });

        // One import chunk at a time unless configured: the local embedder already spreads a chunk over every core.
        services.AddOptions<JobsOptions>().PostConfigure<IConfiguration>((jobs, configuration) =>
        {
            if (string.IsNullOrWhiteSpace(configuration[$"{JobsOptions.SectionName}:{nameof(JobsOptions.ImportConcurrency)}"]))
            {
                jobs.ImportConcurrency = 1;
            }
        });
        services.AddDurableJobScheduler<DurableClientFromServices>(new JobSchedulingMode(UseEntityLock: false));
        services.AddHostedService<JobSweepService>();
    }

    private sealed class DurableClientFromServices(DurableTaskClient client) : IDurableClientSource
    {
        public DurableTaskClient GetClient() => client;
    }
}

/// <summary>Which backend the local server's jobs run on: durable (Azure Storage, resumes after a restart) or in memory.</summary>
public sealed record LocalJobBackend(bool Durable);
