using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Testing.Engine;
using DurableTask.AzureStorage;
using Mem0.Local.Jobs;
using Mem0.Testing.Jobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Core.Tests.Jobs;

/// <summary>Which Durable backend a <see cref="JobHarness"/> runs the jobs on.</summary>
public enum JobBackend
{
    /// <summary>The Durable in-process test host (gRPC on loopback).</summary>
    TestHost,

    /// <summary>The local server's worker (<see cref="TaskHubJobWorker"/>) on the Azure Storage provider, against the Azurite of ./test.sh.</summary>
    AzureStorage,
}

/// <summary>The job orchestrations on a Durable backend, over an in-memory engine with a store that can be made to fail.</summary>
internal sealed class JobHarness : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private JobHarness(
        EngineHarness engine, FlakyMemoryStore store, InMemoryEventStore events, InMemoryJobPayloadStore payloads, DurableTaskClient client, Func<ValueTask> dispose)
    {
        Engine = engine;
        Store = store;
        Events = events;
        Payloads = payloads;
        Client = client;
        _dispose = dispose;
    }

    public static JobSettings FastRetries { get; } = new(MaxAttempts: 3, FirstRetrySeconds: 0.01, Concurrency: 2);

    public EngineHarness Engine { get; }

    public FlakyMemoryStore Store { get; }

    public InMemoryEventStore Events { get; }

    public InMemoryJobPayloadStore Payloads { get; }

    /// <summary>The client of the backend the jobs run on.</summary>
    public DurableTaskClient Client { get; }

    public string ProjectId => EngineHarness.ProjectId;

    public static async Task<JobHarness> StartAsync(
        MemoryEngineOptions? engineOptions = null, Action<DurableTaskRegistry>? registerMore = null, JobBackend backend = JobBackend.TestHost)
    {
        var store = new FlakyMemoryStore(new InMemoryMemoryStore());
        var engine = new EngineHarness(store, options: engineOptions);
        var events = new InMemoryEventStore();
        var payloads = new InMemoryJobPayloadStore();
        void AddServices(IServiceCollection services)
        {
            services.AddSingleton(engine.Service);
            services.AddSingleton<IEventStore>(events);
            services.AddSingleton<IJobPayloadStore>(payloads);
            services.AddSingleton<TimeProvider>(engine.Time);
            services.AddSingleton<ILogger<JobActivities>>(NullLogger<JobActivities>.Instance);
            services.AddSingleton<EventLifecycle>();
            services.AddSingleton<JobActivities>();
        }

        if (backend == JobBackend.AzureStorage)
        {
            return await StartOnStorageAsync(engine, store, events, payloads, AddServices, registerMore);
        }

        // The host's default is a random port in 30000-40000, which overlaps Linux's ephemeral range and so can
        // collide with a live connection: take a port the OS says is free, and retry if another process wins it.
        var host = await StartWithFreePortAsync(async port =>
        {
            return await DurableTaskTestHost.StartAsync(
                registry =>
                {
                    registry.AddMem0Jobs();
                    registerMore?.Invoke(registry);
                },
                new DurableTaskTestHostOptions
                {
                    Port = port,
                    LoggerFactory = NullLoggerFactory.Instance,
                    ConfigureServices = AddServices,
                });
        });
        return new JobHarness(engine, store, events, payloads, host.Client, host.DisposeAsync);
    }

    /// <summary>A task hub of its own on Azurite, worked by the same worker and client as the local server's.</summary>
    private static async Task<JobHarness> StartOnStorageAsync(
        EngineHarness engine, FlakyMemoryStore store, InMemoryEventStore events, InMemoryJobPayloadStore payloads,
        Action<IServiceCollection> addServices, Action<DurableTaskRegistry>? registerMore)
    {
        var services = new ServiceCollection();
        addServices(services);
        var provider = services.BuildServiceProvider();
        var registry = new DurableTaskRegistry().AddMem0Jobs();
        registerMore?.Invoke(registry);
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = Azurite.NewTaskHub(),
            StorageAccountClientProvider = new StorageAccountClientProvider(
                Azurite.ConnectionString ?? throw new InvalidOperationException(Azurite.SkipReason)),
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(100),
            UseTablePartitionManagement = true,
            LoggerFactory = NullLoggerFactory.Instance,
        });
        var worker = new TaskHubJobWorker(service, registry, provider, NullLoggerFactory.Instance);
        await worker.StartAsync(CancellationToken.None);
        return new JobHarness(engine, store, events, payloads, new TaskHubJobClient(service), async () =>
        {
            await worker.DisposeAsync();
            await service.DeleteAsync();
            await provider.DisposeAsync();
        });
    }

    private static async Task<DurableTaskTestHost> StartWithFreePortAsync(Func<int, Task<DurableTaskTestHost>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start(FreeLoopbackPort());
            }
            catch (IOException) when (attempt < 5)
            {
                // Address already in use: another process took the port between probing and binding.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<MemoryEvent> CreateEventAsync(string type)
    {
        var now = Engine.Time.GetUtcNow();
        var memoryEvent = new MemoryEvent
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = ProjectId,
            EventType = type,
            Status = EventStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await Events.CreateAsync(memoryEvent);
        return memoryEvent;
    }

    public async Task<MemoryEvent> RunAsync(string orchestration, object input, string instanceId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Client.ScheduleNewOrchestrationInstanceAsync(
            orchestration, input, new Microsoft.DurableTask.StartOrchestrationOptions { InstanceId = instanceId }, timeout.Token);
        await Client.WaitForInstanceCompletionAsync(instanceId, timeout.Token);
        return (await Events.GetAsync(ProjectId, instanceId))!;
    }

    public Task<int> CountAsync(MemoryScope scope) =>
        Store.CountAsync(ProjectId, FilterScopes.Exact(scope), true, DateOnly.FromDateTime(Engine.Time.GetUtcNow().UtcDateTime));

    public ValueTask DisposeAsync() => _dispose();
}

/// <summary>An <see cref="IMemoryStore"/> decorator whose writes fail on demand: N times transiently, or always for a text.</summary>
internal sealed class FlakyMemoryStore(IMemoryStore inner) : IMemoryStore
{
    private int _throttlesLeft;

    public int ApplyCalls { get; private set; }

    /// <summary>Change sets containing this text fail with a non-transient error.</summary>
    public string? PoisonText { get; set; }

    public void ThrottleNext(int times) => _throttlesLeft = times;

    public Task ApplyAsync(string projectId, MemoryChangeSet changes, CancellationToken cancellationToken = default)
    {
        ApplyCalls++;
        if (Interlocked.Decrement(ref _throttlesLeft) >= 0)
        {
            throw new ThrottledException("The store is throttling (429).", TimeSpan.FromMilliseconds(1));
        }

        if (PoisonText is not null && changes.Added.Any(m => m.Text == PoisonText))
        {
            throw new ValidationException("memory", "The store rejected a memory.");
        }

        return inner.ApplyAsync(projectId, changes, cancellationToken);
    }

    public Task<MemoryRecord?> GetAsync(string projectId, string memoryId, CancellationToken cancellationToken = default) =>
        inner.GetAsync(projectId, memoryId, cancellationToken);

    public Task<IReadOnlyList<MemoryRecord>> GetManyAsync(string projectId, IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken = default) =>
        inner.GetManyAsync(projectId, memoryIds, cancellationToken);

    public Task<IReadOnlyList<MemoryRecord>> FindByHashAsync(string projectId, MemoryScope scope, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken = default) =>
        inner.FindByHashAsync(projectId, scope, hashes, cancellationToken);

    public Task<MemoryPage> ListAsync(string projectId, MemoryListQuery query, CancellationToken cancellationToken = default) =>
        inner.ListAsync(projectId, query, cancellationToken);

    public Task<int> CountAsync(string projectId, FilterNode filter, bool includeExpired, DateOnly today, CancellationToken cancellationToken = default) =>
        inner.CountAsync(projectId, filter, includeExpired, today, cancellationToken);

    public Task<IReadOnlyList<ScoredMemory>> SearchAsync(string projectId, MemorySearchQuery query, CancellationToken cancellationToken = default) =>
        inner.SearchAsync(projectId, query, cancellationToken);

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string projectId, string memoryId, CancellationToken cancellationToken = default) =>
        inner.GetHistoryAsync(projectId, memoryId, cancellationToken);

    public Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(string projectId, CancellationToken cancellationToken = default) =>
        inner.ListEntitiesAsync(projectId, cancellationToken);
}
