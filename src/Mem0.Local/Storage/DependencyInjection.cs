using Mem0.Core.Events;
using Mem0.Core.Hosting;
using Mem0.Core.Projects;
using Mem0.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mem0.Local.Storage;

public static class DependencyInjection
{
    /// <summary>Registers the SQLite memory, project and event stores (one database, section <c>Mem0:Sqlite</c>).</summary>
    public static IHostApplicationBuilder AddSqliteStores(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SqliteOptions>()
            .Bind(builder.Configuration.GetSection(SqliteOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSqliteStores();
        return builder;
    }

    /// <summary>Registers the stores; <see cref="SqliteOptions"/> must be configured by the caller.</summary>
    public static IServiceCollection AddSqliteStores(this IServiceCollection services)
    {
        services.AddSingleton<SqliteDatabase>();
        services.AddMemoryStore<SqliteMemoryStore>();
        services.AddSingleton<IWebhookStore, SqliteWebhookStore>();
        services.AddSingleton<IProjectStore, SqliteProjectStore>();
        services.AddSingleton<IEventStore, SqliteEventStore>();
        return services;
    }

    /// <summary>
    /// Re-embeds, after start, the memories another embedding model made (<see cref="ReembedService"/>): for hosts
    /// whose embedder may change between runs, like the local server.
    /// </summary>
    public static IServiceCollection AddSqliteReembedding(this IServiceCollection services)
    {
        services.AddSingleton<ReembedService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReembedService>());
        return services;
    }
}
