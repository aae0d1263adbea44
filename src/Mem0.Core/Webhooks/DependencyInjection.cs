using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Webhooks;

public static class DependencyInjection
{
    /// <summary>
    /// The Data Protection application name every host uses: keys are isolated by it, and the default (the content
    /// root path) would change with the install location and make stored webhook secrets undecryptable.
    /// </summary>
    public const string DataProtectionApplicationName = "Mem0";

    /// <summary>
    /// Registers webhook registration, the outbox dispatcher and delivery. The memory store must register
    /// <see cref="Memories.IMemoryChangeOutbox"/>; a durable <see cref="IWebhookStore"/> registered earlier wins over the
    /// in-memory one, and a transport registered earlier (the Storage queue) wins over the in-process queue.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var development = builder.Environment.IsDevelopment();
        services.TryAddSingleton(TimeProvider.System);
        // Persisting the key ring is the host's job (data directory locally, Blob storage in Azure): without it the keys
        // live in memory or in the user profile, and secrets stop decrypting after a restart or on another instance.
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.TryAddSingleton<IWebhookStore, InMemoryWebhookStore>();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton(sp => new DestinationGuard(
            sp.GetRequiredService<IHostResolver>(),
            allowLoopback: development && sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowLoopbackInDevelopment));
        services.AddHttpClient(WebhookDeliverer.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookDeliverer.CreateHandler(sp.GetRequiredService<DestinationGuard>()))
            // The default handler logs full URLs, and webhook URLs may carry tokens.
            .RemoveAllLoggers();

        services.TryAddSingleton<WebhookSecretProtector>();
        services.TryAddSingleton<WebhookRetryPolicy>();
        services.TryAddSingleton<WebhookDeliverer>();
        services.TryAddSingleton<WebhookDeliveryProcessor>();
        services.TryAddSingleton<WebhookPublisher>();
        services.TryAddSingleton<WebhookRegistrationService>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());

        if (!services.Any(d => d.ServiceType == typeof(INotificationTransport)))
        {
            services.AddSingleton<InProcessNotificationTransport>();
            services.AddSingleton<INotificationTransport>(sp => sp.GetRequiredService<InProcessNotificationTransport>());
            services.AddHostedService<InProcessDeliveryWorker>();
        }

        return builder;
    }
}
