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
    /// With <paramref name="runWorker"/> the process also receives and delivers (the local server on Azurite); the
    /// Functions app has queue triggers instead, and its writes signal dispatch through the <c>webhook-dispatch</c> queue.
    /// </summary>
    public static IHostApplicationBuilder AddStorageQueueWebhookTransport(this IHostApplicationBuilder builder, bool runWorker)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(sp => CreateTransport(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.AddSingleton<INotificationTransport>(sp => sp.GetRequiredService<StorageQueueNotificationTransport>());
        services.AddSingleton<IWebhookDeliveryQueue>(sp => sp.GetRequiredService<StorageQueueNotificationTransport>());
        services.AddSingleton<StorageQueueDeliveryPump>();
        if (runWorker)
        {
            builder.AddWebhookDeliveryWorker();
        }
        else
        {
            services.AddSingleton<IWebhookDispatchSignal>(sp => CreateDispatchSignal(sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        }

        return builder;
    }

    /// <summary>Builds the transport; with a connection string (emulator) the queues are created when missing.</summary>
    public static StorageQueueNotificationTransport CreateTransport(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var service = CreateService(options);
        var transport = new StorageQueueNotificationTransport(service.GetQueueClient(options.QueueName), service.GetQueueClient(options.PoisonQueueName));
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            transport.Deliveries.CreateIfNotExists();
            transport.Poison.CreateIfNotExists();
        }

        return transport;
    }

    /// <summary>Builds the dispatch signal; with a connection string (emulator) its queue is created when missing.</summary>
    public static StorageQueueDispatchSignal CreateDispatchSignal(WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var signal = new StorageQueueDispatchSignal(CreateService(options).GetQueueClient(options.DispatchQueueName));
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            signal.Dispatch.CreateIfNotExists();
        }

        return signal;
    }

    private static QueueServiceClient CreateService(WebhookOptions options)
    {
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new QueueServiceClient(options.ConnectionString, clientOptions);
        }

        // In Azure the queues are created by the Bicep; the app's identity has data-plane rights only.
        return options.QueueServiceUri is null
            ? throw new InvalidOperationException($"Set {WebhookOptions.SectionName}:QueueServiceUri (or ConnectionString locally) to use the Storage queue transport.")
            : new QueueServiceClient(options.QueueServiceUri, new DefaultAzureCredential(), clientOptions);
    }
}
