using Azure.Core;
using Azure.Identity;

namespace Mem0.Azure.Identity;

/// <summary>Builds the app's single <see cref="TokenCredential"/> from <see cref="AzureIdentityOptions"/>.</summary>
public static class AzureCredentialFactory
{
    public static TokenCredential Create(AzureIdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientId = string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) ? null : options.ManagedIdentityClientId;
        return options.EffectiveCredential switch
        {
            AzureCredentialKind.ManagedIdentity => clientId is null
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)),
            _ => new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ExcludeManagedIdentityCredential = true,
                ExcludeWorkloadIdentityCredential = true,
            }),
        };
    }
}
