using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary><see cref="IEventStore"/> on the <c>events</c> container (partitioned by projectId; the container TTL expires old events).</summary>
public sealed class CosmosEventStore : IEventStore
{
    private readonly CosmosContainers _containers;
    private readonly CosmosTelemetry _telemetry;

    public CosmosEventStore(CosmosContainers containers, CosmosTelemetry telemetry)
    {
        _containers = containers;
        _telemetry = telemetry;
    }

    private Container Events => _containers.Events;

    public async Task CreateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        try
        {
            var response = await Events.CreateItemAsync(
                CosmosDocuments.Event.Document(memoryEvent), new PartitionKey(memoryEvent.ProjectId), NoContent, cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.Events, "create", response.RequestCharge);
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.Event, $"Event {memoryEvent.Id}");
        }
    }

    public async Task UpdateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        try
        {
            var response = await Events.ReplaceItemAsync(
                CosmosDocuments.Event.Document(memoryEvent), memoryEvent.Id, new PartitionKey(memoryEvent.ProjectId), NoContent, cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.Events, "replace", response.RequestCharge);
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.Event, $"Event {memoryEvent.Id}");
        }
    }

    public async Task<MemoryEvent?> GetAsync(string projectId, string eventId, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Events.ReadItemAsync<JsonObject>(eventId, new PartitionKey(projectId), cancellationToken: cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.Events, "read", response.RequestCharge);
            return CosmosDocuments.Event.Record(response.Resource);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.Event, $"Event {eventId}");
        }
    }

    /// <summary>Offset paging inside one project partition: events are few per project and expire with the TTL.</summary>
    public async Task<EventPage> ListAsync(string projectId, EventListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = Math.Max(1, query.Page);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        var (where, parameters) = EventWhere(projectId, query);

        var countQuery = WithParameters(new QueryDefinition($"SELECT VALUE COUNT(1) FROM c WHERE {where}"), parameters);
        var total = (await QueryAsync<long>(countQuery, projectId, "count", cancellationToken)).Sum();

        var listQuery = WithParameters(
                new QueryDefinition($"SELECT * FROM c WHERE {where} ORDER BY c.createdAt DESC OFFSET @offset LIMIT @limit"), parameters)
            .WithParameter("@offset", (page - 1) * pageSize)
            .WithParameter("@limit", pageSize);
        var documents = await QueryAsync<JsonObject>(listQuery, projectId, "list", cancellationToken);
        return new EventPage(documents.Select(CosmosDocuments.Event.Record).ToList(), checked((int)total));
    }

    /// <summary>One single-partition query, no count: it runs before every memory read (pending deletes).</summary>
    public async Task<IReadOnlyList<MemoryEvent>> ListUnfinishedAsync(string projectId, string eventType, int max = 1000, CancellationToken cancellationToken = default)
    {
        var query = new QueryDefinition(
                "SELECT TOP @max * FROM c WHERE c.projectId = @projectId AND c.eventType = @eventType AND c.status IN (@pending, @running)")
            .WithParameter("@max", Math.Clamp(max, 1, 1000))
            .WithParameter("@projectId", projectId)
            .WithParameter("@eventType", eventType)
            .WithParameter("@pending", JsonNamingCamel(nameof(EventStatus.Pending)))
            .WithParameter("@running", JsonNamingCamel(nameof(EventStatus.Running)));
        var documents = await QueryAsync<JsonObject>(query, projectId, "unfinished", cancellationToken);
        return documents.Select(CosmosDocuments.Event.Record).ToList();
    }

    internal static (string Where, List<KeyValuePair<string, object?>> Parameters) EventWhere(string projectId, EventListQuery query)
    {
        var where = "c.projectId = @projectId";
        var parameters = new List<KeyValuePair<string, object?>> { new("@projectId", projectId) };
        if (query.Status is { } status)
        {
            where += " AND c.status = @status";
            parameters.Add(new("@status", JsonNamingCamel(status.ToString())));
        }

        if (query.EventType is { } type)
        {
            where += " AND c.eventType = @eventType";
            parameters.Add(new("@eventType", type));
        }

        return (where, parameters);
    }

    private static ItemRequestOptions NoContent { get; } = new() { EnableContentResponseOnWrite = false };

    // Matches the camelCase enum names CosmosJson writes.
    private static string JsonNamingCamel(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"{char.ToLowerInvariant(name[0])}{name[1..]}");

    private static QueryDefinition WithParameters(QueryDefinition definition, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            definition.WithParameter(name, value);
        }

        return definition;
    }

    private async Task<List<T>> QueryAsync<T>(QueryDefinition query, string projectId, string operation, CancellationToken cancellationToken)
    {
        var results = new List<T>();
        using var iterator = Events.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(projectId) });
        try
        {
            while (iterator.HasMoreResults)
            {
                var page = await iterator.ReadNextAsync(cancellationToken);
                _telemetry.RecordCharge(CosmosContainerNames.Events, operation, page.RequestCharge);
                results.AddRange(page);
            }
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.Event, "Events");
        }

        return results;
    }
}
