using Azure.Core;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Identity;

public static class DependencyInjection
{
    /// <summary>
    /// The one <see cref="TokenCredential"/> of the app (from "Mem0:Azure", AZURE_CLIENT_ID as the default identity) and the
    /// <c>Microsoft.Extensions.Azure</c> client factory that hands it to every Azure SDK client registered through
    /// <c>AddAzureClients</c>. Every Azure adapter calls this; a TokenCredential registered earlier (a test's) wins.
    /// </summary>
    public static IServiceCollection AddMem0AzureCredential(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(AzureCredentialMarker)))
        {
            return services;
        }

        services.AddSingleton<AzureCredentialMarker>();
        services.AddOptions<AzureIdentityOptions>()
            .Configure<IServiceProvider>((options, sp) =>
            {
                // Hosts always have configuration; bare service collections (some tests) take the defaults.
                if (sp.GetService<IConfiguration>() is not { } configuration)
                {
                    return;
                }

                configuration.GetSection(AzureIdentityOptions.SectionName).Bind(options);

                // AZURE_CLIENT_ID is the platform's name for the identity; it reaches the app only through these options.
                if (string.IsNullOrWhiteSpace(options.ManagedIdentityClientId))
                {
                    options.ManagedIdentityClientId = configuration["AZURE_CLIENT_ID"];
                }
            });
        services.TryAddSingleton(sp => AzureCredentialFactory.Create(sp.GetRequiredService<IOptions<AzureIdentityOptions>>().Value));
        services.AddAzureClients(clients => clients.UseCredential(sp => sp.GetRequiredService<TokenCredential>()));
        return services;
    }

    /// <summary>Marks the registration done (the call is made by every adapter).</summary>
    private sealed class AzureCredentialMarker;
}
