using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Core.Jobs;

public static class DependencyInjection
{
    /// <summary>The inline scheduler: runs adds before the request returns. Hosts with a durable backend register theirs first.</summary>
    public static IServiceCollection AddInlineJobs(this IServiceCollection services)
    {
        services.TryAddSingleton<IJobScheduler, InlineJobScheduler>();
        return services;
    }
}
