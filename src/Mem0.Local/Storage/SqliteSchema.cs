using Microsoft.Data.Sqlite;

namespace Mem0.Local.Storage;

/// <summary>The schema as an ordered list of migrations; <c>schema_version</c> records how many have run.</summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE memories (
            project_id TEXT NOT NULL,
            id TEXT NOT NULL,
            text TEXT NOT NULL,
            hash TEXT NOT NULL,
            embedding BLOB NOT NULL,
            embedding_model TEXT NOT NULL,
            user_id TEXT,
            agent_id TEXT,
            app_id TEXT,
            run_id TEXT,
            metadata TEXT,
            categories TEXT NOT NULL DEFAULT '[]',
            immutable INTEGER NOT NULL DEFAULT 0,
            expiration_date TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (project_id, id)
        );
        CREATE INDEX ix_memories_list ON memories (project_id, created_at DESC, id DESC);
        CREATE INDEX ix_memories_user ON memories (project_id, user_id);
        CREATE INDEX ix_memories_agent ON memories (project_id, agent_id);
        CREATE INDEX ix_memories_hash ON memories (project_id, hash);
        CREATE VIRTUAL TABLE memories_fts USING fts5(text, project_id UNINDEXED, memory_id UNINDEXED);
        CREATE TABLE history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id TEXT NOT NULL,
            id TEXT NOT NULL,
            memory_id TEXT NOT NULL,
            event TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX ix_history_memory ON history (project_id, memory_id, created_at, seq);
        CREATE TABLE projects (
            project_id TEXT NOT NULL PRIMARY KEY,
            created_at INTEGER NOT NULL,
            document TEXT NOT NULL
        );
        CREATE TABLE api_keys (
            id TEXT NOT NULL PRIMARY KEY,
            project_id TEXT NOT NULL,
            key_hash TEXT NOT NULL,
            revoked INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX ix_api_keys_hash ON api_keys (key_hash);
        CREATE INDEX ix_api_keys_project ON api_keys (project_id, created_at);
        CREATE TABLE events (
            project_id TEXT NOT NULL,
            id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            document TEXT NOT NULL,
            PRIMARY KEY (project_id, id)
        );
        CREATE INDEX ix_events_list ON events (project_id, created_at DESC, id DESC);
        """,
        // 2: the webhook outbox (history rows not yet dispatched; older rows predate webhooks and count as dispatched)
        // and the webhook store.
        """
        ALTER TABLE history ADD COLUMN dispatched INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX ix_history_undispatched ON history (seq) WHERE dispatched = 0;
        CREATE TABLE webhooks (
            id TEXT NOT NULL PRIMARY KEY,
            project_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX ix_webhooks_project ON webhooks (project_id, created_at, id);
        CREATE TABLE webhook_deliveries (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            webhook_id TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, seq);
        CREATE TABLE webhook_completed_deliveries (
            delivery_id TEXT NOT NULL PRIMARY KEY,
            document TEXT NOT NULL
        );
        """,
        // 3: the local webhook delivery queue (one row per queued attempt, hidden while leased or waiting for its retry
        // time; deleted once the outcome is recorded), and the delivery log by delivery id (redelivery looks it up).
        """
        CREATE TABLE webhook_queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            webhook_id TEXT NOT NULL,
            delivery_id TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            visible_at INTEGER NOT NULL,
            leased INTEGER NOT NULL DEFAULT 0,
            message TEXT NOT NULL
        );
        CREATE INDEX ix_webhook_queue_visible ON webhook_queue (visible_at, id);
        CREATE INDEX ix_webhook_deliveries_delivery ON webhook_deliveries (delivery_id, seq);
        """,
        // 4: the vector index loads one scope at a time and lists a project's scopes with their counts; both read this
        // covering index (it also serves what ix_memories_user did, so that one goes).
        """
        CREATE INDEX ix_memories_scope ON memories (project_id, user_id, agent_id, app_id, run_id);
        DROP INDEX ix_memories_user;
        """,
        // 5: search signals. Entities per memory (JSON array; rows written before stay '[]' and are read as the
        // extractor's output). The full-text index is rebuilt with the Porter stemmer, so "camping" finds "camped".
        """
        ALTER TABLE memories ADD COLUMN entities TEXT NOT NULL DEFAULT '[]';
        DROP TABLE memories_fts;
        CREATE VIRTUAL TABLE memories_fts USING fts5(text, project_id UNINDEXED, memory_id UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2');
        INSERT INTO memories_fts (rowid, text, project_id, memory_id) SELECT rowid, text, project_id, id FROM memories;
        """,
        // 6: unfinished DELETE events are read before every memory read (pending scope deletes); without this index
        // that read scans all of a project's events (~6–10 ms at 10,000 events).
        """
        CREATE INDEX ix_events_unfinished ON events (project_id, event_type, status);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        long current;
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
            current = (long)(await read.ExecuteScalarAsync(cancellationToken))!;
        }

        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The database schema is version {current}, newer than this build supports ({Migrations.Length}). Upgrade Mem0.Server.");
        }

        for (var version = (int)current; version < Migrations.Length; version++)
        {
            await using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[version] + "\nINSERT INTO schema_version (version) VALUES ($v);";
            migrate.Parameters.AddWithValue("$v", version + 1);
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
