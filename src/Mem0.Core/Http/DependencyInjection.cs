using Mem0.Core.Exports;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Observability;
using Mem0.Core.Projects;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Core.Http;

public static class DependencyInjection
{
    /// <summary>Registers what the endpoint handlers need besides the engine and the stores (registered by their features).</summary>
    public static IServiceCollection AddMem0Api(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<ApiKeyEndpointFilter>();
        services.AddJobActivities();
        services.AddMemoryApplication();
        services.AddSingleton<Mem0ApiServices>();
        services.AddSingleton<ProjectBootstrapper>();
        services.AddMemoryExports();

        // Readiness: one shared instance, so its short result cache spans requests. Hosts add their model check.
        services.TryAddSingleton<StoreHealthCheck>();
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            StoreHealthCheck.Name, sp => sp.GetRequiredService<StoreHealthCheck>(), failureStatus: null, tags: null));
        return services;
    }
}
