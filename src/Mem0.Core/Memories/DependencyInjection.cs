using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Core.Memories;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the memory engine, its options (<c>Mem0:Engine</c>, validated at start) and the in-process scope lock
    /// (hosts with Durable entities serialize adds there as well). Stores and AI clients are registered by the adapters;
    /// without an <see cref="Microsoft.Extensions.AI.IChatClient"/> the heuristic extractor is used.
    /// </summary>
    public static IServiceCollection AddMemoryEngine(this IServiceCollection services)
    {
        services.AddOptions<MemoryEngineOptions>()
            .BindConfiguration(MemoryEngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IScopeLock, InProcessScopeLock>();
        services.TryAddSingleton<MemoryService>();
        return services;
    }
}
