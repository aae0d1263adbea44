namespace Mem0.Azure.Identity;

/// <summary>Which credential every Azure client of the app authenticates with.</summary>
public enum AzureCredentialKind
{
    /// <summary>Managed identity when a client id is known (Azure sets AZURE_CLIENT_ID), developer credentials otherwise.</summary>
    Auto,

    /// <summary>The user-assigned managed identity named by <see cref="AzureIdentityOptions.ManagedIdentityClientId"/> (system-assigned without one).</summary>
    ManagedIdentity,

    /// <summary>
    /// A developer's sign-in (environment variables, Azure CLI, azd, Visual Studio, ...): DefaultAzureCredential without its
    /// managed-identity and workload-identity steps, so a laptop or CI machine never probes the instance-metadata address.
    /// </summary>
    Developer,
}

/// <summary>The one credential shared by Cosmos DB, Storage, Azure OpenAI and Azure Monitor ("Mem0:Azure").</summary>
public sealed class AzureIdentityOptions
{
    public const string SectionName = "Mem0:Azure";

    public AzureCredentialKind Credential { get; set; } = AzureCredentialKind.Auto;

    /// <summary>Client id of the user-assigned identity; defaults to AZURE_CLIENT_ID, which the Bicep sets on the app.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The kind <see cref="AzureCredentialKind.Auto"/> resolves to with these settings.</summary>
    public AzureCredentialKind EffectiveCredential => Credential switch
    {
        AzureCredentialKind.Auto => string.IsNullOrWhiteSpace(ManagedIdentityClientId) ? AzureCredentialKind.Developer : AzureCredentialKind.ManagedIdentity,
        _ => Credential,
    };
}
