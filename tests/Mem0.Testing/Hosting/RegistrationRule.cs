using System.Reflection;
using System.Text.RegularExpressions;
using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Core.Webhooks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Testing.Hosting;

/// <summary>What the hosts' wiring tests check: the adapters a host must name, and how test doubles are recognised.</summary>
public static partial class RegistrationRule
{
    /// <summary>The ports Core defines and a host fills with exactly one adapter each (never a fallback, never a second one).</summary>
    public static IReadOnlyList<Type> Ports { get; } =
    [
        typeof(IMemoryStore),
        typeof(IMemoryChangeOutbox),
        typeof(IEventStore),
        typeof(IProjectStore),
        typeof(IWebhookStore),
        typeof(IJobPayloadStore),
        typeof(IJobScheduler),
        typeof(IJobStarter),
        typeof(INotificationTransport),
        typeof(IWebhookDispatchSignal),
        typeof(IScopeLock),
        typeof(IEmbeddingGenerator<string, Embedding<float>>),
    ];

    /// <summary>"Port: count" for every port not registered exactly once in <paramref name="services"/>.</summary>
    public static IReadOnlyList<string> PortsNotRegisteredOnce(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Ports
            .Select(port => (Port: port, Count: services.Count(d => d.ServiceType == port && !d.IsKeyedService)))
            .Where(x => x.Count != 1)
            .Select(x => $"{x.Port.Name}: {x.Count}")
            .ToList();
    }

    /// <summary>Types of <paramref name="assembly"/> whose names say they are test doubles (they belong in tests/Mem0.Testing).</summary>
    public static IReadOnlyList<string> TestDoubles(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetTypes()
            .Where(type => DoubleName().IsMatch(type.Name))
            .Select(type => type.FullName ?? type.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    [GeneratedRegex("^(InMemory|Inline|Fake|Stub|Mock)[A-Z]")]
    private static partial Regex DoubleName();
}
