using System.Globalization;
using System.Text;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Microsoft.Data.Sqlite;

namespace Mem0.Local.Storage;

/// <summary><see cref="IEventStore"/> on SQLite: events as JSON documents, listed newest first with offset paging.</summary>
public sealed class SqliteEventStore : IEventStore
{
    private readonly SqliteDatabase _database;

    public SqliteEventStore(SqliteDatabase database) => _database = database;

    public async Task CreateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        try
        {
            await WriteAsync(
                "INSERT INTO events (project_id, id, event_type, status, created_at, document) VALUES ($p, $id, $type, $status, $created, $doc)",
                memoryEvent,
                cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            throw new ConcurrencyConflictException($"Event {memoryEvent.Id} already exists.", exception);
        }
    }

    public async Task UpdateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        var changed = await WriteAsync(
            "UPDATE events SET event_type = $type, status = $status, document = $doc WHERE project_id = $p AND id = $id",
            memoryEvent,
            cancellationToken);
        if (changed == 0)
        {
            throw new NotFoundException(ResourceKind.Event, $"Event {memoryEvent.Id} not found.");
        }
    }

    public async Task<MemoryEvent?> GetAsync(string projectId, string eventId, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM events WHERE project_id = $p AND id = $id";
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$id", eventId);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? StorageJson.Deserialize<MemoryEvent>(json) : null;
    }

    public async Task<EventPage> ListAsync(string projectId, EventListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = Math.Max(query.Page, 1);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("project_id = $p");
        command.Parameters.AddWithValue("$p", projectId);
        if (query.Status is { } status)
        {
            where.Append(" AND status = $status");
            command.Parameters.AddWithValue("$status", status.ToString());
        }

        if (query.EventType is { } type)
        {
            where.Append(" AND event_type = $type");
            command.Parameters.AddWithValue("$type", type);
        }

        command.CommandText = $"""
            SELECT COUNT(*) FROM events WHERE {where};
            SELECT document FROM events WHERE {where} ORDER BY created_at DESC, id DESC LIMIT $n OFFSET $skip;
            """;
        command.Parameters.AddWithValue("$n", pageSize);
        command.Parameters.AddWithValue("$skip", (long)(page - 1) * pageSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = Convert.ToInt32(reader.GetInt64(0), CultureInfo.InvariantCulture);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<MemoryEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(StorageJson.Deserialize<MemoryEvent>(reader.GetString(0)));
        }

        return new EventPage(items, total);
    }

    /// <summary>One query, no count: it runs before every memory read (pending deletes).</summary>
    public async Task<IReadOnlyList<MemoryEvent>> ListUnfinishedAsync(string projectId, string eventType, int max = 1000, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM events WHERE project_id = $p AND event_type = $type AND status IN ($pending, $running) LIMIT $n;";
        command.Parameters.AddWithValue("$p", projectId);
        command.Parameters.AddWithValue("$type", eventType);
        command.Parameters.AddWithValue("$pending", nameof(EventStatus.Pending));
        command.Parameters.AddWithValue("$running", nameof(EventStatus.Running));
        command.Parameters.AddWithValue("$n", Math.Clamp(max, 1, 1000));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<MemoryEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(StorageJson.Deserialize<MemoryEvent>(reader.GetString(0)));
        }

        return items;
    }

    private async Task<int> WriteAsync(string sql, MemoryEvent memoryEvent, CancellationToken cancellationToken)
    {
        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$p", memoryEvent.ProjectId);
            command.Parameters.AddWithValue("$id", memoryEvent.Id);
            command.Parameters.AddWithValue("$type", memoryEvent.EventType);
            command.Parameters.AddWithValue("$status", memoryEvent.Status.ToString());
            command.Parameters.AddWithValue("$created", memoryEvent.CreatedAt.UtcTicks);
            command.Parameters.AddWithValue("$doc", StorageJson.Serialize(memoryEvent));
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }
}
