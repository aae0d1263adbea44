using Mem0.Core.Webhooks;
using Mem0.Local.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Webhooks;

/// <summary>
/// The local server's delivery queue, in the server's SQLite database: the transport the processor sends to and the
/// queue the <see cref="WebhookDeliveryWorker"/> pulls from. A row is one queued attempt: visible from its time
/// (now, or the retry's backoff), hidden while leased, deleted only once the processor has recorded the outcome and
/// queued any retry. So a notification stays covered until the receiver answered 2xx or it was dead-lettered, across
/// kill -9: leases of a previous process are released when this one starts receiving.
/// </summary>
public sealed class SqliteWebhookQueue : INotificationTransport, IWebhookDeliveryQueue, IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _timeProvider;
    private readonly int _perWebhookBatch;
    private readonly SemaphoreSlim _sent = new(0, 1);
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private volatile bool _started;

    public SqliteWebhookQueue(SqliteDatabase database, TimeProvider timeProvider, IOptions<WebhookOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _timeProvider = timeProvider;
        _perWebhookBatch = options.Value.MaxConcurrentDeliveriesPerWebhook;
    }

    public Task SendAsync(WebhookDeliveryMessage message, CancellationToken cancellationToken = default) =>
        InsertAsync([message], TimeSpan.Zero, cancellationToken);

    public Task SendManyAsync(IReadOnlyList<WebhookDeliveryMessage> messages, CancellationToken cancellationToken = default) =>
        InsertAsync(messages, TimeSpan.Zero, cancellationToken);

    public Task SendDelayedAsync(WebhookDeliveryMessage message, TimeSpan delay, CancellationToken cancellationToken = default) =>
        InsertAsync([message], delay, cancellationToken);

    /// <summary>Nothing to move: the dead-lettered entry of the delivery log keeps the message for redelivery.</summary>
    public Task DeadLetterAsync(WebhookDeliveryMessage message, string reason, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public async Task<IReadOnlyList<LeasedDelivery>> ReceiveAsync(int maxCount, TimeSpan lease, IReadOnlyCollection<string> busyWebhookIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(busyWebhookIds);
        await EnsureStartedAsync(cancellationToken);
        var now = _timeProvider.GetUtcNow().UtcTicks;
        var result = new List<LeasedDelivery>();
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                // At most a per-webhook share per receive, so one webhook's backlog cannot fill a whole batch.
                command.CommandText = """
                    UPDATE webhook_queue SET leased = 1, visible_at = $until
                    WHERE id IN (
                        SELECT id FROM (
                            SELECT id, visible_at, ROW_NUMBER() OVER (PARTITION BY webhook_id ORDER BY visible_at, id) AS n
                            FROM webhook_queue
                            WHERE visible_at <= $now AND webhook_id NOT IN (SELECT value FROM json_each($busy))
                        )
                        WHERE n <= $share ORDER BY visible_at, id LIMIT $max)
                    RETURNING id, message
                    """;
                command.Parameters.AddWithValue("$until", now + lease.Ticks);
                command.Parameters.AddWithValue("$now", now);
                command.Parameters.AddWithValue("$busy", System.Text.Json.JsonSerializer.Serialize(busyWebhookIds));
                command.Parameters.AddWithValue("$share", _perWebhookBatch);
                command.Parameters.AddWithValue("$max", maxCount);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    result.Add(new LeasedDelivery(WebhookDeliveryMessage.FromJson(reader.GetString(1)), reader.GetInt64(0)));
                }
            },
            cancellationToken);
        return result;
    }

    public Task CompleteAsync(LeasedDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM webhook_queue WHERE id = $id";
                command.Parameters.AddWithValue("$id", (long)delivery.Receipt);
                await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    public Task ReleaseAsync(LeasedDelivery delivery, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "UPDATE webhook_queue SET leased = 0, visible_at = $at WHERE id = $id";
                command.Parameters.AddWithValue("$id", (long)delivery.Receipt);
                command.Parameters.AddWithValue("$at", _timeProvider.GetUtcNow().UtcTicks + delay.Ticks);
                await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    public async Task WaitForMessagesAsync(TimeSpan maxWait, IReadOnlyCollection<string> busyWebhookIds, CancellationToken cancellationToken = default)
    {
        var wait = maxWait;
        await using (var connection = await _database.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT MIN(visible_at) FROM webhook_queue WHERE webhook_id NOT IN (SELECT value FROM json_each($busy))";
            command.Parameters.AddWithValue("$busy", System.Text.Json.JsonSerializer.Serialize(busyWebhookIds));
            if (await command.ExecuteScalarAsync(cancellationToken) is long next)
            {
                var untilNext = TimeSpan.FromTicks(Math.Max(0, next - _timeProvider.GetUtcNow().UtcTicks));
                if (untilNext < wait)
                {
                    wait = untilNext;
                }
            }
        }

        if (wait > TimeSpan.Zero)
        {
            await _sent.WaitAsync(wait, cancellationToken);
        }
    }

    /// <summary>Messages in the queue (waiting, leased or waiting for a retry).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM webhook_queue";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public void Dispose()
    {
        _sent.Dispose();
        _startGate.Dispose();
    }

    private async Task InsertAsync(IReadOnlyList<WebhookDeliveryMessage> messages, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        var visibleAt = _timeProvider.GetUtcNow().UtcTicks + Math.Max(0, delay.Ticks);
        await WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO webhook_queue (webhook_id, delivery_id, attempt, visible_at, message)
                    VALUES ($w, $d, $a, $at, $m)
                    """;
                var webhook = command.Parameters.Add("$w", SqliteType.Text);
                var delivery = command.Parameters.Add("$d", SqliteType.Text);
                var attempt = command.Parameters.Add("$a", SqliteType.Integer);
                command.Parameters.AddWithValue("$at", visibleAt);
                var body = command.Parameters.Add("$m", SqliteType.Text);
                foreach (var message in messages)
                {
                    webhook.Value = message.WebhookId;
                    delivery.Value = message.DeliveryId;
                    attempt.Value = message.Attempt;
                    body.Value = message.ToJson();
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
            },
            cancellationToken);

        if (delay <= TimeSpan.Zero && _sent.CurrentCount == 0)
        {
            try
            {
                _sent.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another send woke the worker already.
            }
        }
    }

    /// <summary>Releases the leases of a previous process (killed mid-delivery): in this process nothing is in flight yet.</summary>
    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        await _startGate.WaitAsync(cancellationToken);
        try
        {
            if (_started)
            {
                return;
            }

            var now = _timeProvider.GetUtcNow().UtcTicks;
            await WriteAsync(
                async (connection, transaction) =>
                {
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = "UPDATE webhook_queue SET leased = 0, visible_at = $now WHERE leased = 1";
                    command.Parameters.AddWithValue("$now", now);
                    await command.ExecuteNonQueryAsync(cancellationToken);
                },
                cancellationToken);
            _started = true;
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> work, CancellationToken cancellationToken)
    {
        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }
}
