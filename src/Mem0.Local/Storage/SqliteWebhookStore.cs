using Mem0.Core.Common;
using Mem0.Core.Webhooks;
using Microsoft.Data.Sqlite;

namespace Mem0.Local.Storage;

/// <summary><see cref="IWebhookStore"/> on SQLite: webhooks and delivery log entries as JSON documents.</summary>
public sealed class SqliteWebhookStore : IWebhookStore
{
    private const int ConstraintViolation = 19;

    private readonly SqliteDatabase _database;

    public SqliteWebhookStore(SqliteDatabase database) => _database = database;

    public async Task CreateAsync(Webhook webhook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        try
        {
            await ExecuteAsync(
                "INSERT INTO webhooks (id, project_id, created_at, document) VALUES ($id, $p, $created, $doc)",
                command =>
                {
                    command.Parameters.AddWithValue("$id", webhook.Id);
                    command.Parameters.AddWithValue("$p", webhook.ProjectId);
                    command.Parameters.AddWithValue("$created", webhook.CreatedAt.UtcTicks);
                    command.Parameters.AddWithValue("$doc", StorageJson.Serialize(webhook));
                },
                cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == ConstraintViolation)
        {
            throw new ConcurrencyConflictException($"Webhook {webhook.Id} already exists.", exception);
        }
    }

    public async Task<Webhook?> GetAsync(string webhookId, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync<Webhook>("SELECT document FROM webhooks WHERE id = $id", c => c.Parameters.AddWithValue("$id", webhookId), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<Webhook>> ListAsync(string projectId, CancellationToken cancellationToken = default) =>
        QueryAsync<Webhook>(
            "SELECT document FROM webhooks WHERE project_id = $p ORDER BY created_at, id",
            c => c.Parameters.AddWithValue("$p", projectId),
            cancellationToken);

    public async Task UpdateAsync(Webhook webhook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var changed = await ExecuteAsync(
            "UPDATE webhooks SET document = $doc WHERE id = $id",
            command =>
            {
                command.Parameters.AddWithValue("$id", webhook.Id);
                command.Parameters.AddWithValue("$doc", StorageJson.Serialize(webhook));
            },
            cancellationToken);
        if (changed == 0)
        {
            throw new NotFoundException(ResourceKind.Webhook, "Webhook not found");
        }
    }

    public async Task<bool> DeleteAsync(string webhookId, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("DELETE FROM webhooks WHERE id = $id", c => c.Parameters.AddWithValue("$id", webhookId), cancellationToken) > 0;

    public async Task RecordDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var document = StorageJson.Serialize(delivery);
        var sql = "INSERT INTO webhook_deliveries (webhook_id, delivery_id, document) VALUES ($w, $d, $doc);";
        if (delivery.IsTerminal)
        {
            // The first terminal outcome wins; a later duplicate is only logged.
            sql += "\nINSERT OR IGNORE INTO webhook_completed_deliveries (delivery_id, document) VALUES ($d, $doc);";
        }

        await ExecuteAsync(
            sql,
            command =>
            {
                command.Parameters.AddWithValue("$w", delivery.WebhookId);
                command.Parameters.AddWithValue("$d", delivery.DeliveryId);
                command.Parameters.AddWithValue("$doc", document);
            },
            cancellationToken);
    }

    public async Task<WebhookDelivery?> GetCompletedDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync<WebhookDelivery>(
            "SELECT document FROM webhook_completed_deliveries WHERE delivery_id = $d",
            c => c.Parameters.AddWithValue("$d", deliveryId),
            cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> ReopenDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "DELETE FROM webhook_completed_deliveries WHERE delivery_id = $d",
            c => c.Parameters.AddWithValue("$d", deliveryId),
            cancellationToken) > 0;

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveryAttemptsAsync(string deliveryId, CancellationToken cancellationToken = default) =>
        QueryAsync<WebhookDelivery>(
            "SELECT document FROM webhook_deliveries WHERE delivery_id = $d ORDER BY seq DESC",
            c => c.Parameters.AddWithValue("$d", deliveryId),
            cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string webhookId, int maxCount, CancellationToken cancellationToken = default) =>
        QueryAsync<WebhookDelivery>(
            "SELECT document FROM webhook_deliveries WHERE webhook_id = $w ORDER BY seq DESC LIMIT $max",
            c =>
            {
                c.Parameters.AddWithValue("$w", webhookId);
                c.Parameters.AddWithValue("$max", maxCount);
            },
            cancellationToken);

    private async Task<int> ExecuteAsync(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            bind(command);
            var changed = await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return changed;
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(StorageJson.Deserialize<T>(reader.GetString(0)));
        }

        return result;
    }
}
