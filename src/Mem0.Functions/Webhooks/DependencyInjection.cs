using Mem0.Azure.DataProtection;
using Mem0.Azure.Webhooks;
using Mem0.Core.Webhooks;
using Microsoft.Extensions.Hosting;

namespace Mem0.Functions.Webhooks;

public static class DependencyInjection
{
    /// <summary>
    /// Webhooks in the Functions app: registration and the outbox dispatcher from Core, deliveries through the Storage
    /// queue (no in-process worker or polling loop: each write signals <see cref="DispatchWebhooksFunction"/> through the
    /// dispatch queue, a 15-minute timer sweeps stragglers, and the <see cref="DeliverWebhookFunction"/> queue trigger
    /// delivers), and the Data Protection key ring in Blob storage so every instance decrypts the same signing secrets. The Cosmos webhook store
    /// and outbox come from <c>AddCosmosStores()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddFunctionsWebhooks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStorageQueueWebhookTransport(runWorker: false);
        builder.AddWebhooks();
        builder.AddBlobDataProtection();
        return builder;
    }
}
