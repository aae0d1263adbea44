using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Core.Memories;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the memory engine, its options (<c>Mem0:Engine</c>, validated at start) and the in-process scope lock
    /// (a durable <see cref="IScopeLock"/> registered before this call wins). Stores and AI clients are registered by the adapters;
    /// without an <see cref="Microsoft.Extensions.AI.IChatClient"/> the heuristic extractor is used.
    /// </summary>
    public static IServiceCollection AddMemoryEngine(this IServiceCollection services)
    {
        services.AddOptions<MemoryEngineOptions>()
            .BindConfiguration(MemoryEngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IScopeLock, InProcessScopeLock>();
        services.TryAddSingleton<AddPipeline>();
        services.TryAddSingleton<MemoryService>();
        return services;
    }

    /// <summary>
    /// The application services every front door calls (HTTP handlers, MCP tools): memory use cases, the event
    /// lifecycle and log, imports and project settings. Needs the engine, the stores and a job scheduler registered.
    /// </summary>
    public static IServiceCollection AddMemoryApplication(this IServiceCollection services)
    {
        services.AddMemoryEngine();
        services.TryAddSingleton<Events.EventLifecycle>();
        services.TryAddSingleton<Events.EventLog>();
        services.TryAddSingleton<MemoryOperations>();
        services.TryAddSingleton<Jobs.ImportService>();
        services.TryAddSingleton<Projects.ProjectService>();
        return services;
    }
}
