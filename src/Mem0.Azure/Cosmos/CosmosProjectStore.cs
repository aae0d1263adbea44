using System.Net;
using System.Text.Json.Nodes;
using Mem0.Core.Common;
using Mem0.Core.Projects;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary>
/// <see cref="IProjectStore"/> on the <c>projects</c> (partitioned by projectId) and <c>apikeys</c> (partitioned and keyed by
/// the key hash, so authenticating a request is a single point read) containers.
/// </summary>
public sealed class CosmosProjectStore : IProjectStore
{
    private static readonly ItemRequestOptions s_noContent = new() { EnableContentResponseOnWrite = false };

    private readonly CosmosContainers _containers;
    private readonly CosmosTelemetry _telemetry;

    public CosmosProjectStore(CosmosContainers containers, CosmosTelemetry telemetry)
    {
        _containers = containers;
        _telemetry = telemetry;
    }

    public async Task<Project?> GetProjectAsync(string projectId, CancellationToken cancellationToken = default) =>
        (await ReadAsync<JsonObject>(_containers.Projects, projectId, new PartitionKey(projectId), cancellationToken)) is { } document
            ? CosmosDocuments.Project.Record(document)
            : null;

    public async Task<IReadOnlyList<Project>> ListProjectsAsync(CancellationToken cancellationToken = default)
    {
        // Projects are few; listing them is an admin operation, so a cross-partition query is acceptable here.
        var documents = await QueryAsync<JsonObject>(
            _containers.Projects, new QueryDefinition("SELECT * FROM c ORDER BY c.createdAt ASC"), partition: null, cancellationToken);
        return documents.Select(CosmosDocuments.Project.Record).ToList();
    }

    public Task CreateProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return WriteAsync(
            _containers.Projects,
            $"Project {project.ProjectId}",
            c => c.CreateItemAsync(CosmosDocuments.Project.Document(project), new PartitionKey(project.ProjectId), s_noContent, cancellationToken));
    }

    public Task UpdateProjectAsync(Project project, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        return WriteAsync(
            _containers.Projects,
            $"Project {project.ProjectId}",
            c => c.ReplaceItemAsync(CosmosDocuments.Project.Document(project), project.ProjectId, new PartitionKey(project.ProjectId), s_noContent, cancellationToken));
    }

    public async Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        var document = await ReadAsync<JsonObject>(_containers.ApiKeys, keyHash, new PartitionKey(keyHash), cancellationToken);
        return document is not null && CosmosDocuments.ApiKey.Record(document) is { RevokedAt: null } key ? key : null;
    }

    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(
            _containers.ApiKeys,
            $"API key {key.Id}",
            c => c.CreateItemAsync(CosmosDocuments.ApiKey.Document(key), new PartitionKey(key.KeyHash), s_noContent, cancellationToken));
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var documents = await QueryAsync<JsonObject>(_containers.ApiKeys, KeysOfProject(projectId), partition: null, cancellationToken);
        return documents.Select(CosmosDocuments.ApiKey.Record).ToList();
    }

    public async Task<bool> RevokeApiKeyAsync(string projectId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken = default)
    {
        var documents = await QueryAsync<JsonObject>(
            _containers.ApiKeys,
            new QueryDefinition("SELECT * FROM c WHERE c.projectId = @projectId AND c.keyId = @keyId")
                .WithParameter("@projectId", projectId)
                .WithParameter("@keyId", keyId),
            partition: null,
            cancellationToken);
        var document = documents.FirstOrDefault();
        if (document is null)
        {
            return false;
        }

        var current = CosmosDocuments.ApiKey.Record(document);
        var revoked = CosmosDocuments.ApiKey.Document(current with { RevokedAt = current.RevokedAt ?? revokedAt });
        await WriteAsync(
            _containers.ApiKeys,
            $"API key {keyId}",
            c => c.ReplaceItemAsync(
                revoked,
                current.KeyHash,
                new PartitionKey(current.KeyHash),
                new ItemRequestOptions { IfMatchEtag = CosmosDocuments.ETagOf(document), EnableContentResponseOnWrite = false },
                cancellationToken));
        return true;
    }

    private ResourceKind KindOf(Container container) =>
        container == _containers.ApiKeys ? ResourceKind.ApiKey : ResourceKind.Project;

    private static QueryDefinition KeysOfProject(string projectId) =>
        new QueryDefinition("SELECT * FROM c WHERE c.projectId = @projectId").WithParameter("@projectId", projectId);

    private async Task<T?> ReadAsync<T>(Container container, string id, PartitionKey partition, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var response = await container.ReadItemAsync<T>(id, partition, cancellationToken: cancellationToken);
            _telemetry.RecordCharge(container.Id, "read", response.RequestCharge);
            return response.Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            _telemetry.RecordCharge(container.Id, "read", ex.RequestCharge);
            return null;
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, KindOf(container), container.Id);
        }
    }

    private async Task WriteAsync<T>(Container container, string what, Func<Container, Task<ItemResponse<T>>> write)
    {
        try
        {
            var response = await write(container);
            _telemetry.RecordCharge(container.Id, "write", response.RequestCharge);
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, KindOf(container), what);
        }
    }

    private async Task<List<T>> QueryAsync<T>(Container container, QueryDefinition query, PartitionKey? partition, CancellationToken cancellationToken)
    {
        var results = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions { PartitionKey = partition });
        try
        {
            while (iterator.HasMoreResults)
            {
                var page = await iterator.ReadNextAsync(cancellationToken);
                _telemetry.RecordCharge(container.Id, "query", page.RequestCharge);
                results.AddRange(page);
            }
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, KindOf(container), container.Id);
        }

        return results;
    }
}
