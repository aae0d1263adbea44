using Mem0.Azure.Webhooks;
using Mem0.Core.Webhooks;
using Mem0.Local.Webhooks;

namespace Mem0.Server.Hosting;

/// <summary>How the local server delivers webhooks.</summary>
public static class ServerWebhooks
{
    /// <summary>The setting that moves the server's durable state to Azure Storage (Azurite locally), as in the Functions app.</summary>
    public const string StorageSetting = "AzureWebJobsStorage";

    /// <summary>
    /// Dispatch follows each write through an in-process signal (plus a straggler sweep). Deliveries go through a durable
    /// queue drained concurrently in this process: the SQLite database's own queue by default, or the Storage queues when
    /// <c>AzureWebJobsStorage</c> (or <c>Mem0:Webhooks:ConnectionString</c> / <c>QueueServiceUri</c>) is set.
    /// </summary>
    public static WebApplicationBuilder AddServerWebhooks(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(WebhookOptions.SectionName);
        var storage = builder.Configuration[StorageSetting];
        if (string.IsNullOrWhiteSpace(section["ConnectionString"]) && string.IsNullOrWhiteSpace(section["QueueServiceUri"]) && !string.IsNullOrWhiteSpace(storage))
        {
            section["ConnectionString"] = storage;
        }

        builder.AddInProcessWebhookDispatch();
        if (!string.IsNullOrWhiteSpace(section["ConnectionString"]) || !string.IsNullOrWhiteSpace(section["QueueServiceUri"]))
        {
            builder.AddStorageQueueWebhookTransport(runWorker: true);
        }
        else
        {
            builder.AddSqliteWebhookQueue();
        }

        builder.AddWebhooks();
        return builder;
    }
}
