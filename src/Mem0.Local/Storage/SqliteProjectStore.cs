using Mem0.Core.Common;
using Mem0.Core.Projects;
using Microsoft.Data.Sqlite;

namespace Mem0.Local.Storage;

/// <summary><see cref="IProjectStore"/> on SQLite: projects and API keys as JSON documents with indexed lookup columns.</summary>
public sealed class SqliteProjectStore : IProjectStore
{
    private const int SqliteConstraint = 19;

    private readonly SqliteDatabase _database;

    public SqliteProjectStore(SqliteDatabase database) => _database = database;

    public async Task<Project?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync<Project>("SELECT document FROM projects WHERE project_id = $id", ("$id", projectId), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        QueryAsync<Project>("SELECT document FROM projects ORDER BY created_at, project_id", null, cancellationToken);

    public async Task CreateProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        try
        {
            await ExecuteAsync(
                "INSERT INTO projects (project_id, created_at, document) VALUES ($id, $created, $doc)",
                [("$id", project.ProjectId), ("$created", project.CreatedAt.UtcTicks), ("$doc", StorageJson.Serialize(project))],
                cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteConstraint)
        {
            throw new ConcurrencyConflictException($"Project {project.ProjectId} already exists.", exception);
        }
    }

    public async Task UpdateProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var changed = await ExecuteAsync(
            "UPDATE projects SET document = $doc WHERE project_id = $id",
            [("$id", project.ProjectId), ("$doc", StorageJson.Serialize(project))],
            cancellationToken);
        if (changed == 0)
        {
            throw new NotFoundException(ResourceKind.Project, $"Project {project.ProjectId} not found.");
        }
    }

    public async Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync<ApiKeyRecord>(
            "SELECT document FROM api_keys WHERE key_hash = $hash AND revoked = 0 LIMIT 1", ("$hash", keyHash), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            await ExecuteAsync(
                "INSERT INTO api_keys (id, project_id, key_hash, revoked, created_at, document) VALUES ($id, $p, $hash, $revoked, $created, $doc)",
                [
                    ("$id", key.Id), ("$p", key.ProjectId), ("$hash", key.KeyHash), ("$revoked", key.RevokedAt is null ? 0 : 1),
                    ("$created", key.CreatedAt.UtcTicks), ("$doc", StorageJson.Serialize(key)),
                ],
                cancellationToken);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteConstraint)
        {
            throw new ConcurrencyConflictException($"API key {key.Id} already exists.", exception);
        }
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string projectId, CancellationToken cancellationToken = default) =>
        QueryAsync<ApiKeyRecord>("SELECT document FROM api_keys WHERE project_id = $p ORDER BY created_at, id", ("$p", projectId), cancellationToken);

    public async Task<bool> RevokeApiKeyAsync(string projectId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            ApiKeyRecord? key = null;
            await using (var read = connection.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT document FROM api_keys WHERE id = $id AND project_id = $p";
                read.Parameters.AddWithValue("$id", keyId);
                read.Parameters.AddWithValue("$p", projectId);
                if (await read.ExecuteScalarAsync(cancellationToken) is string json)
                {
                    key = StorageJson.Deserialize<ApiKeyRecord>(json);
                }
            }

            if (key is null)
            {
                return false;
            }

            await using (var write = connection.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = "UPDATE api_keys SET revoked = 1, document = $doc WHERE id = $id";
                write.Parameters.AddWithValue("$id", keyId);
                write.Parameters.AddWithValue("$doc", StorageJson.Serialize(key with { RevokedAt = key.RevokedAt ?? revokedAt }));
                await write.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, (string Name, object Value)? parameter, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is { } p)
        {
            command.Parameters.AddWithValue(p.Name, p.Value);
        }

        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(StorageJson.Deserialize<T>(reader.GetString(0)));
        }

        return result;
    }

    private async Task<int> ExecuteAsync(string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await _database.WriteGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _database.WriteGate.Release();
        }
    }
}
