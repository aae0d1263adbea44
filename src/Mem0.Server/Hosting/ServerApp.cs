using Mem0.Core.AI;
using Mem0.Core.Dashboard;
using Mem0.Core.Hosting;
using Mem0.Core.Http;
using Mem0.Core.Mcp;
using Mem0.Local.Embeddings;
using Mem0.Local.Storage;
using Mem0.Server.Observability;
using Microsoft.Extensions.Options;

namespace Mem0.Server.Hosting;

/// <summary>The local server: the Core endpoints on Kestrel with SQLite, the MiniLM embedder and (optionally) an LLM.</summary>
public static partial class ServerApp
{
    /// <summary>Builds the app. <paramref name="configure"/> lets tests replace services before the build.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.UseValidatedContainer();          // a missing adapter fails Build(), naming it
        builder.AddServerLogDefaults();
        builder.AddServerHosting();
        builder.AddServerObservability();
        builder.Services.AddMem0Core();           // engine and API services; no adapters
        builder.AddLocalStores();                 // SQLite: memories + outbox, events, projects, webhooks
        builder.AddMem0AI();
        builder.AddServerEmbeddings();            // local embedder (unless another provider is configured)
        builder.AddServerJobs();                  // Durable scheduler and payload store: in memory + files, or Azure Storage
        builder.AddServerWebhooks();              // dispatch signal and delivery queue (SQLite or Storage queue)
        builder.Services.AddMem0Mcp();            // /mcp (stateless Streamable HTTP), the memory tools
        builder.AddServerDataProtection();
        configure?.Invoke(builder);

        var app = builder.Build();

        // Replaces the Development exception page too: no stack trace ever reaches a response body.
        app.UseExceptionHandler(errors => errors.Run(ApiErrors.WriteUnhandledAsync));
        app.MapMem0Api();
        app.MapDashboard();
        app.MapMem0Mcp();
        app.MapServerObservability();
        return app;
    }

    /// <summary>
    /// Quieter defaults for the log a user sees: ASP.NET Core's per-request lines (request started/finished, endpoint
    /// executing, result written) and Data Protection's key bookkeeping drop to Warning, so Information says what
    /// the API itself is doing. They are defaults under every other source: <c>Logging__LogLevel__Microsoft.AspNetCore</c>
    /// (or appsettings, or the command line) still wins.
    /// </summary>
    public static WebApplicationBuilder AddServerLogDefaults(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Warning",
            },
        });
        return builder;
    }

    /// <summary>Options, the default URL and graceful shutdown.</summary>
    public static WebApplicationBuilder AddServerHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // MEM0_API_KEY is the name the Mem0 SDKs and CLI use; map it onto the server's options here, once.
        builder.Services.AddOptions<ServerOptions>()
            .BindConfiguration(ServerOptions.SectionName)
            .PostConfigure<IConfiguration>((options, configuration) => options.ApiKey ??= configuration["MEM0_API_KEY"])
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ServerState>();
        builder.Services.AddHostedService<ServerStartup>();
        builder.Services.AddHostedService<ServerWarmUp>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));

        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(ServerOptions.DefaultUrl);
        }

        return builder;
    }

    /// <summary>The embedded stores: one SQLite database under the server's data directory (unless Mem0:Sqlite says otherwise).</summary>
    public static WebApplicationBuilder AddLocalStores(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSqliteStores();
        builder.Services.AddOptions<SqliteOptions>()
            .PostConfigure<IOptions<ServerOptions>>((sqlite, server) =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration[$"{SqliteOptions.SectionName}:DataDirectory"]))
                {
                    sqlite.DataDirectory = server.Value.DataDirectory;
                }
            });
        return builder;
    }

    /// <summary>
    /// The MiniLM embedder with its model cache under the server's data directory ("&lt;data&gt;/models"), also when the
    /// data directory is the default rather than configured, unless "Mem0:AI:Local:CacheDirectory" says otherwise.
    /// </summary>
    public static WebApplicationBuilder AddServerEmbeddings(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddLocalEmbeddings();

        // A changed model (Mem0:AI:Local:Model, or another provider) re-embeds the stored memories after start.
        builder.Services.AddSqliteReembedding();
        builder.Services.AddOptions<LocalEmbeddingOptions>()
            .PostConfigure<IOptions<ServerOptions>>((local, server) =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration[$"{LocalEmbeddingOptions.SectionName}:CacheDirectory"]))
                {
                    local.CacheDirectory = Path.Combine(server.Value.FullDataDirectory, "models");
                }
            });
        return builder;
    }

    /// <summary>Checks the data directory, starts, waits for shutdown. Returns the process exit code.</summary>
    public static async Task<int> RunServerAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        if (DataDirectory.Check(options.FullDataDirectory) is { } problem)
        {
            await Console.Error.WriteLineAsync("error: " + problem);
            return 2;
        }

        try
        {
            // Open the database before the host starts, so a damaged file is reported plainly instead of as a host failure.
            if (app.Services.GetService<SqliteDatabase>() is { } database)
            {
                await using var connection = await database.OpenAsync();
            }

            await app.StartAsync();
        }
        catch (IOException ex) when (IsAddressInUse(ex))
        {
            var urls = string.Join(", ", app.Urls.DefaultIfEmpty(ServerOptions.DefaultUrl));
            await Console.Error.WriteLineAsync(
                $"error: cannot listen on {urls}: the port is already in use. Stop the other process or choose another port, e.g. --urls http://127.0.0.1:8889");
            return 3;
        }
        catch (Exception ex) when (Find<SqliteDatabaseDamagedException>(ex) is { } damaged)
        {
            var path = damaged.FilePath ?? "the configured database";
            await Console.Error.WriteLineAsync(
                $"error: the database {path} cannot be used: {damaged.Reason}.{Environment.NewLine}" +
                $"  It is not a SQLite database or it is damaged (a truncated copy, a full disk, or another program's file).{Environment.NewLine}" +
                $"  Nothing was changed. Stop the server, move {path} (and any -wal/-shm files beside it) away, then restore it{Environment.NewLine}" +
                "  from a backup, or start with an empty data directory to begin again.");
            return DatabaseUnusableExitCode;
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Exit code when the database file is not SQLite or is damaged (README "Exit codes").</summary>
    public const int DatabaseUnusableExitCode = 4;

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }

            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(e => e is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    private static bool IsAddressInUse(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is Microsoft.AspNetCore.Connections.AddressInUseException
                || current is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }
}
