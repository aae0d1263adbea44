using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Storage;

/// <summary>
/// The one SQLite database of the local server: opens pooled connections, creates and migrates the schema on first
/// use, and serialises writers (SQLite allows one writer; queuing here avoids SQLITE_BUSY retries).
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;

    public SqliteDatabase(IOptions<SqliteOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _busyTimeoutMs = value.BusyTimeoutSeconds * 1000;
        IndexBudgetBytes = value.IndexBudgetMegabytes * 1024L * 1024L;
        if (!string.IsNullOrWhiteSpace(value.ConnectionString))
        {
            _connectionString = value.ConnectionString;
        }
        else
        {
            Directory.CreateDirectory(value.DataDirectory);
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(value.DataDirectory, value.FileName),
                Mode = SqliteOpenMode.ReadWriteCreate,
                Cache = SqliteCacheMode.Private,
                Pooling = true,
            }.ToString();
        }
    }

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    /// <summary>The database file (null for an in-memory or custom connection string without a data source).</summary>
    public string? FilePath => new SqliteConnectionStringBuilder(_connectionString).DataSource is { Length: > 0 } source && source != ":memory:"
        ? Path.GetFullPath(source)
        : null;

    /// <summary>Resident-memory budget of the vector index (<see cref="SqliteOptions.IndexBudgetMegabytes"/>).</summary>
    internal long IndexBudgetBytes { get; }

    /// <summary>Serialises write transactions within this process.</summary>
    internal SemaphoreSlim WriteGate { get; } = new(1, 1);

    /// <summary>Opens a connection to a database whose schema is current.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (!_schemaReady)
        {
            await EnsureSchemaAsync(cancellationToken);
        }

        return await OpenRawAsync(cancellationToken);
    }

    public void Dispose()
    {
        _schemaGate.Dispose();
        WriteGate.Dispose();
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA foreign_keys = ON;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A file cut short (a copy or disk that ran out) still opens, and fails only when a query reaches a missing page.
    /// Its header says how many pages it has: fewer bytes than that is damage, unless a write-ahead log holds the rest.
    /// </summary>
    private async Task CheckNotTruncatedAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        if (FilePath is not { } path || !File.Exists(path) || (File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count; ";
        var pages = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        command.CommandText = "PRAGMA page_size;";
        var pageSize = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        var length = new FileInfo(path).Length;
        if (length < pages * pageSize)
        {
            throw new SqliteDatabaseDamagedException(path, $"the file is truncated: {length} bytes where its header declares {pages * pageSize}", null);
        }
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await _schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            try
            {
                await using var connection = await OpenRawAsync(cancellationToken);
                await CheckNotTruncatedAsync(connection, cancellationToken);
                await using (var wal = connection.CreateCommand())
                {
                    // WAL lets readers run while the single writer commits; it is a property of the file, set once.
                    wal.CommandText = "PRAGMA journal_mode = WAL;";
                    await wal.ExecuteNonQueryAsync(cancellationToken);
                }

                await SqliteSchema.MigrateAsync(connection, cancellationToken);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
            {
                throw new SqliteDatabaseDamagedException(FilePath, ex.Message, ex);
            }

            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }
}
