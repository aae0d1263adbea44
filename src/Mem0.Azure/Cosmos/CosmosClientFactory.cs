using Azure.Core;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary>Creates the one <see cref="CosmosClient"/>: keyless through the app's credential unless a (local) key is configured.</summary>
public static class CosmosClientFactory
{
    public static CosmosClient Create(CosmosOptions options, TokenCredential? credential = null, Action<CosmosClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "mem0-functions",
            UseSystemTextJsonSerializerWithOptions = CosmosJson.Options,

            // Operation spans on the "Azure.Cosmos.Operation" ActivitySource (off by default in the GA SDK); they carry
            // the container, operation and RU charge, never document bodies or query parameter values.
            CosmosClientTelemetryOptions = new CosmosClientTelemetryOptions { DisableDistributedTracing = false },
        };
        configure?.Invoke(clientOptions);

        if (!string.IsNullOrEmpty(options.Key))
        {
            return new CosmosClient(options.Endpoint, options.Key, clientOptions);
        }

        return new CosmosClient(
            options.Endpoint,
            credential ?? throw new ArgumentNullException(nameof(credential), "Keyless Cosmos DB needs the app's TokenCredential (or set Mem0:Cosmos:Key locally)."),
            clientOptions);
    }
}
