using Azure.Core;
using Azure.Storage.Queues;
using Mem0.Azure.Identity;
using Mem0.Core.Webhooks;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Webhooks;

public static class DependencyInjection
{
    /// <summary>Name of the <see cref="QueueServiceClient"/> carrying webhook deliveries in the Azure client factory.</summary>
    public const string QueueClientName = "Mem0.Webhooks";

    /// <summary>
    /// Sends webhook deliveries through Azure Storage queues (<c>Mem0:Webhooks:QueueServiceUri</c> with the app's
    /// credential, or <c>Mem0:Webhooks:ConnectionString</c> for Azurite).
    /// With <paramref name="runWorker"/> the process also receives and delivers (the local server on Azurite); the
    /// Functions app has queue triggers instead, and its writes signal dispatch through the <c>webhook-dispatch</c> queue.
    /// </summary>
    public static IHostApplicationBuilder AddStorageQueueWebhookTransport(this IHostApplicationBuilder builder, bool runWorker)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddMem0AzureCredential();
        services.AddAzureClients(clients => clients
            .AddClient<QueueServiceClient, QueueClientOptions>((clientOptions, credential, sp) =>
                CreateService(sp.GetRequiredService<IOptions<WebhookOptions>>().Value, credential, clientOptions))
            .WithName(QueueClientName));
        services.AddSingleton(sp => CreateTransport(
            sp.GetRequiredService<IAzureClientFactory<QueueServiceClient>>().CreateClient(QueueClientName),
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        services.AddSingleton<INotificationTransport>(sp => sp.GetRequiredService<StorageQueueNotificationTransport>());
        services.AddSingleton<IWebhookDeliveryQueue>(sp => sp.GetRequiredService<StorageQueueNotificationTransport>());
        if (runWorker)
        {
            builder.AddWebhookDeliveryWorker();
        }
        else
        {
            services.AddSingleton<IWebhookDispatchSignal>(sp => CreateDispatchSignal(
                sp.GetRequiredService<IAzureClientFactory<QueueServiceClient>>().CreateClient(QueueClientName),
                sp.GetRequiredService<IOptions<WebhookOptions>>().Value));
        }

        return builder;
    }

    /// <summary>Builds the transport outside DI (tests, tools); with a connection string (emulator) the queues are created when missing.</summary>
    public static StorageQueueNotificationTransport CreateTransport(WebhookOptions options, TokenCredential? credential = null) =>
        CreateTransport(CreateService(options, credential, new QueueClientOptions()), options);

    private static StorageQueueNotificationTransport CreateTransport(QueueServiceClient service, WebhookOptions options)
    {
        var transport = new StorageQueueNotificationTransport(service.GetQueueClient(options.QueueName), service.GetQueueClient(options.PoisonQueueName));
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            // Azurite: create them. In Azure the queues are created by the Bicep; the app's identity has data-plane rights only.
            transport.Deliveries.CreateIfNotExists();
            transport.Poison.CreateIfNotExists();
        }

        return transport;
    }

    private static StorageQueueDispatchSignal CreateDispatchSignal(QueueServiceClient service, WebhookOptions options)
    {
        var signal = new StorageQueueDispatchSignal(service.GetQueueClient(options.DispatchQueueName));
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            signal.Dispatch.CreateIfNotExists();
        }

        return signal;
    }

    private static QueueServiceClient CreateService(WebhookOptions options, TokenCredential? credential, QueueClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(options);

        // The Functions queue trigger reads Base64 messages (host.json), so the sender writes them that way.
        clientOptions.MessageEncoding = QueueMessageEncoding.Base64;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new QueueServiceClient(options.ConnectionString, clientOptions);
        }

        if (options.QueueServiceUri is null)
        {
            throw new InvalidOperationException($"Set {WebhookOptions.SectionName}:QueueServiceUri (or ConnectionString locally) to use the Storage queue transport.");
        }

        return new QueueServiceClient(
            options.QueueServiceUri,
            credential ?? throw new ArgumentNullException(nameof(credential), "A queue endpoint needs the app's TokenCredential."),
            clientOptions);
    }
}
