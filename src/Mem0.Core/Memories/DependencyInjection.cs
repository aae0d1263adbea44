using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Core.Memories;

public static class DependencyInjection
{
    /// <summary>Registers the memory engine. Stores and AI clients are registered by the adapters.</summary>
    public static IServiceCollection AddMemoryEngine(this IServiceCollection services)
    {
        services.AddSingleton<MemoryService>();
        return services;
    }
}
