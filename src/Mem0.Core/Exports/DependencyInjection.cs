using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Core.Exports;

public static class DependencyInjection
{
    /// <summary>
    /// Registers <see cref="MemoryExportService"/> (exports and summaries). It uses the registered
    /// <see cref="Microsoft.Extensions.AI.IChatClient"/> when there is one, the deterministic fallbacks otherwise.
    /// </summary>
    public static IServiceCollection AddMemoryExports(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MemoryExportService>();
        return services;
    }
}
