using Azure.Core;
using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary>Creates the one <see cref="CosmosClient"/>: keyless through Entra ID unless a (local) key is configured.</summary>
public static class CosmosClientFactory
{
    public static CosmosClient Create(CosmosOptions options, TokenCredential? credential = null, Action<CosmosClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "mem0-functions",
            UseSystemTextJsonSerializerWithOptions = CosmosJson.Options,
        };
        configure?.Invoke(clientOptions);

        return string.IsNullOrEmpty(options.Key)
            ? new CosmosClient(options.Endpoint, credential ?? new DefaultAzureCredential(), clientOptions)
            : new CosmosClient(options.Endpoint, options.Key, clientOptions);
    }
}
