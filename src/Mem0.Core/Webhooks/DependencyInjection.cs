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
    /// Registers webhook registration, the delivery log, the outbox dispatcher and delivery processing. The host names the
    /// adapters: an <see cref="IWebhookStore"/>, the memory store and its outbox (<see cref="Hosting.DependencyInjection.AddMemoryStore{TStore}"/>,
    /// which also makes its writes signal the dispatcher), an <see cref="INotificationTransport"/> and an
    /// <see cref="IWebhookDispatchSignal"/>; a missing one fails the container's validation at start.
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
        services.TryAddSingleton<WebhookDeliveryLogService>();
        services.TryAddSingleton<WebhookConcurrencyLimiter>();
        services.TryAddSingleton<WebhookDispatcher>();
        return builder;
    }

    /// <summary>
    /// The local dispatch loop: an in-process signal from each write wakes it, and it sweeps every
    /// <see cref="WebhookOptions.SweepInterval"/> for stragglers.
    /// </summary>
    public static IHostApplicationBuilder AddInProcessWebhookDispatch(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<InProcessDispatchSignal>();
        builder.Services.AddSingleton<IWebhookDispatchSignal>(sp => sp.GetRequiredService<InProcessDispatchSignal>());
        builder.Services.AddHostedService<WebhookDispatchService>();
        return builder;
    }

    /// <summary>Delivers from a pulling <see cref="IWebhookDeliveryQueue"/> the host registered, concurrently.</summary>
    public static IHostApplicationBuilder AddWebhookDeliveryWorker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<WebhookDeliveryWorker>();
        return builder;
    }
}
