using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace Mem0.Server.Hosting;

/// <summary>
/// Keeps the Data Protection key ring (which encrypts webhook signing secrets) in <c>&lt;DataDirectory&gt;/keys</c>, next
/// to the database whose secrets it decrypts, so they survive restarts and move with the data directory.
/// </summary>
public static class ServerDataProtection
{
    public const string KeysDirectoryName = "keys";

    public static WebApplicationBuilder AddServerDataProtection(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The same as PersistKeysToFileSystem, but resolved from the validated options rather than read eagerly.
        // No XML encryptor exists off Windows: the key files are as sensitive as the database and share its directory.
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<ServerOptions>, ILoggerFactory>((keys, server, loggers) =>
                keys.XmlRepository = new FileSystemXmlRepository(KeysDirectory(server.Value), loggers));
        return builder;
    }

    public static DirectoryInfo KeysDirectory(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DirectoryInfo(Path.Combine(options.FullDataDirectory, KeysDirectoryName));
    }
}
