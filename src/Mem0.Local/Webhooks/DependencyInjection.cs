using Mem0.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mem0.Local.Webhooks;

public static class DependencyInjection
{
    /// <summary>
    /// Webhook deliveries through the SQLite queue of the server's database, drained concurrently in this process.
    /// Needs the SQLite stores.
    /// </summary>
    public static IHostApplicationBuilder AddSqliteWebhookQueue(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<SqliteWebhookQueue>();
        builder.Services.AddSingleton<INotificationTransport>(sp => sp.GetRequiredService<SqliteWebhookQueue>());
        builder.Services.AddSingleton<IWebhookDeliveryQueue>(sp => sp.GetRequiredService<SqliteWebhookQueue>());
        builder.AddWebhookDeliveryWorker();
        return builder;
    }
}
