using Mem0.Core.Events;
using Mem0.Core.Hosting;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Core.Webhooks;
using Mem0.Testing.AI;
using Mem0.Testing.Hosting;
using Mem0.Testing.Stores;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Core.Tests.Hosting;

/// <summary>Core registers services and no adapter: without the host's adapters the validated container refuses to build.</summary>
public sealed class RegistrationRuleTests
{
    private static ServiceCollection CoreOnly()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator());
        services.AddMem0Core();
        return services;
    }

    [Fact]
    public void AddMem0Core_RegistersNoAdapter()
    {
        var services = CoreOnly();

        var registered = RegistrationRule.Ports.Where(port => services.Any(d => d.ServiceType == port)).Select(p => p.Name).ToList();

        // The embedder is this test's; the in-process scope lock is Core's own (not an adapter: hosts share it).
        Assert.Equal(["IEmbeddingGenerator`2", nameof(IScopeLock)], registered.Order(StringComparer.Ordinal).ToList());
    }

    [Theory]
    [InlineData(typeof(IMemoryStore))]
    [InlineData(typeof(IEventStore))]
    [InlineData(typeof(IProjectStore))]
    [InlineData(typeof(IJobPayloadStore))]
    [InlineData(typeof(IJobScheduler))]
    public void Build_MissingAdapter_FailsNamingTheInterface(Type missing)
    {
        var services = CoreOnly();
        services.AddInMemoryStores();
        services.AddInlineJobs();
        foreach (var descriptor in services.Where(d => d.ServiceType == missing).ToList())
        {
            services.Remove(descriptor);
        }

        var error = Assert.Throws<AggregateException>(() => services.BuildServiceProvider(Core.Hosting.DependencyInjection.ValidatedContainerOptions));

        Assert.Contains(missing.FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithTheInMemoryAdapters_Validates()
    {
        var services = CoreOnly();
        services.AddInMemoryStores();
        services.AddInlineJobs();

        using var provider = services.BuildServiceProvider(Core.Hosting.DependencyInjection.ValidatedContainerOptions);

        Assert.IsType<InMemoryEventStore>(provider.GetRequiredService<IEventStore>());
    }

    [Fact]
    public async Task AddMemoryStore_SignalRegisteredAfterwards_WritesStillSignal()
    {
        var signal = new CountingSignal();
        var services = new ServiceCollection().AddLogging();
        services.AddMemoryStore<InMemoryMemoryStore>();
        services.AddSingleton<IWebhookDispatchSignal>(signal);
        using var provider = services.BuildServiceProvider(Core.Hosting.DependencyInjection.ValidatedContainerOptions);

        await provider.GetRequiredService<IMemoryStore>().ApplyAsync("proj-1", new MemoryChangeSet { History = [Entry()] });

        Assert.Equal(1, signal.Count);
        Assert.Same(provider.GetRequiredService<InMemoryMemoryStore>(), provider.GetRequiredService<IMemoryChangeOutbox>());
    }

    [Fact]
    public void AddMemoryStore_NoWebhooks_IsTheStoreItself()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddMemoryStore<InMemoryMemoryStore>();
        using var provider = services.BuildServiceProvider(Core.Hosting.DependencyInjection.ValidatedContainerOptions);

        Assert.Same(provider.GetRequiredService<InMemoryMemoryStore>(), provider.GetRequiredService<IMemoryStore>());
    }

    [Fact]
    public void TestDoubles_AreRecognisedByName()
    {
        // The check the host tests run over the src assemblies can fail: the doubles' own assembly fails it.
        var doubles = RegistrationRule.TestDoubles(typeof(InMemoryMemoryStore).Assembly);

        Assert.Contains(typeof(InMemoryMemoryStore).FullName, doubles);
        Assert.Contains(typeof(Testing.Jobs.InlineJobScheduler).FullName, doubles);
    }

    private static HistoryEntry Entry() => Tests.Webhooks.WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a");

    private sealed class CountingSignal : IWebhookDispatchSignal
    {
        public int Count { get; private set; }

        public Task NotifyChangesAsync(string projectId, CancellationToken cancellationToken = default)
        {
            Count++;
            return Task.CompletedTask;
        }
    }
}
