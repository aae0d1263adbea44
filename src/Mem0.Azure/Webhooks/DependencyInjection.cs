using Azure.Identity;
using Azure.Storage.Queues;
using Mem0.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Webhooks;

public static class DependencyInjection
{
    /// <summary>
    /// Sends webhook deliveries through Azure Storage queues (<c>Mem0:Webhooks:QueueServiceUri</c> with managed
    /// identity, or <c>Mem0:Webhooks:ConnectionString</c> for Azurite). Call before <c>AddWebhooks()</c>.
    /// With <paramref name="runWorker"/> the process also receives and delivers (hosts without a queue trigger).
    /// </summary>
    public static IHostApplicationBuilder AddStorageQueueWebhookTransport(this IHostApplicationBuilder builder, bool runWorker)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(sp => CreateTransport(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.AddSingleton<INotificationTransport>(sp => sp.GetRequiredService<StorageQueueNotificationTransport>());
        services.AddSingleton<StorageQueueDeliveryPump>();
        if (runWorker)
        {
            services.AddHostedService<StorageQueueDeliveryWorker>();
        }

        return builder;
    }

    /// <summary>Builds the transport; with a connection string (emulator) the queues are created when missing.</summary>
    public static StorageQueueNotificationTransport CreateTransport(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        QueueServiceClient service;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            service = new QueueServiceClient(options.ConnectionString, clientOptions);
            var transport = new StorageQueueNotificationTransport(service.GetQueueClient(options.QueueName), service.GetQueueClient(options.PoisonQueueName));
            transport.Deliveries.CreateIfNotExists();
            transport.Poison.CreateIfNotExists();
            return transport;
        }

        if (options.QueueServiceUri is null)
        {
            throw new InvalidOperationException($"Set {WebhookOptions.SectionName}:QueueServiceUri (or ConnectionString locally) to use the Storage queue transport.");
        }

        // In Azure the queues are created by the Bicep; the app's identity has data-plane rights only.
        service = new QueueServiceClient(options.QueueServiceUri, new DefaultAzureCredential(), clientOptions);
        return new StorageQueueNotificationTransport(service.GetQueueClient(options.QueueName), service.GetQueueClient(options.PoisonQueueName));
    }
}
