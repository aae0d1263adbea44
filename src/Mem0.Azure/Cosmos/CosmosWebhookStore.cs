using System.Net;
using System.Text.Json.Nodes;
using Mem0.Core.Common;
using Mem0.Core.Webhooks;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary>
/// <see cref="IWebhookStore"/> on Cosmos DB. Webhooks live in <c>webhooks</c> (partitioned by projectId), so the
/// dispatcher's per-project listing is single-partition. The delivery log and the completion records live in
/// <c>webhookdeliveries</c> (partitioned by delivery id, 30-day TTL), so the duplicate check every queue message makes
/// is a point read. Lookups by webhook id alone (the update/delete routes and the processor carry no partition key)
/// are cross-partition queries on the id: the container holds a few documents per project, usually in one physical
/// partition, so such a query is one request of a few RU.
/// </summary>
public sealed class CosmosWebhookStore : IWebhookStore
{
    private static readonly ItemRequestOptions s_noContent = new() { EnableContentResponseOnWrite = false };

    private readonly CosmosContainers _containers;
    private readonly CosmosTelemetry _telemetry;

    public CosmosWebhookStore(CosmosContainers containers, CosmosTelemetry telemetry)
    {
        _containers = containers;
        _telemetry = telemetry;
    }

    private Container Webhooks => _containers.Webhooks;

    private Container Deliveries => _containers.WebhookDeliveries;

    /// <summary>
    /// Ids are unique per partition only in Cosmos DB, and the contract wants them unique overall: look first, then
    /// create (a 409 still covers the same project). Ids are random GUIDs, so the check-then-create race is theoretical.
    /// </summary>
    public async Task CreateAsync(Webhook webhook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        if (await FindAsync(webhook.Id, cancellationToken) is not null)
        {
            throw new ConcurrencyConflictException($"Webhook '{webhook.Id}' already exists.");
        }

        try
        {
            var response = await Webhooks.CreateItemAsync(
                CosmosDocuments.Webhook.Document(webhook), new PartitionKey(webhook.ProjectId), s_noContent, cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.Webhooks, "create", response.RequestCharge);
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.Webhook, $"Webhook '{webhook.Id}'");
        }
    }

    public async Task<Webhook?> GetAsync(string webhookId, CancellationToken cancellationToken = default) =>
        await FindAsync(webhookId, cancellationToken);

    public async Task<IReadOnlyList<Webhook>> ListAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var documents = await QueryAsync<JsonObject>(
            Webhooks, CosmosWebhookQueries.ListByProject(projectId), new PartitionKey(projectId), "list", cancellationToken);

        // Ordered here rather than in the query: ties on created_at are broken by id, which needs no composite index.
        return documents
            .Select(CosmosDocuments.Webhook.Record)
            .OrderBy(w => w.CreatedAt)
            .ThenBy(w => w.Id, StringComparer.Ordinal)
            .ToList();
    }

    public async Task UpdateAsync(Webhook webhook, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        try
        {
            var response = await Webhooks.ReplaceItemAsync(
                CosmosDocuments.Webhook.Document(webhook), webhook.Id, new PartitionKey(webhook.ProjectId), s_noContent, cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.Webhooks, "replace", response.RequestCharge);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new NotFoundException(ResourceKind.Webhook, "Webhook not found");
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.Webhook, $"Webhook '{webhook.Id}'");
        }
    }

    public async Task<bool> DeleteAsync(string webhookId, CancellationToken cancellationToken = default)
    {
        var existing = await FindAsync(webhookId, cancellationToken);
        if (existing is null)
        {
            return false;
        }

        try
        {
            var response = await Webhooks.DeleteItemAsync<JsonObject>(webhookId, new PartitionKey(existing.ProjectId), cancellationToken: cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.Webhooks, "delete", response.RequestCharge);
            return true;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.Webhook, $"Webhook '{webhookId}'");
        }
    }

    /// <summary>
    /// The log entry is upserted first, then a terminal outcome creates the completion record; a 409 there means an
    /// earlier terminal outcome exists, and the first one wins. A crash in between leaves the delivery unprocessed, so a
    /// redelivered message sends again: at-least-once, never lost.
    /// </summary>
    public async Task RecordDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var partition = new PartitionKey(delivery.DeliveryId);
        try
        {
            var logged = await Deliveries.UpsertItemAsync(
                CosmosDocuments.DeliveryAttempt.Document(delivery), partition, s_noContent, cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.WebhookDeliveries, "upsert", logged.RequestCharge);
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.WebhookDelivery, $"Delivery '{delivery.DeliveryId}'");
        }

        if (!delivery.IsTerminal)
        {
            return;
        }

        try
        {
            var completed = await Deliveries.CreateItemAsync(
                CosmosDocuments.DeliveryCompletion(delivery), partition, s_noContent, cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.WebhookDeliveries, "create", completed.RequestCharge);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            _telemetry.RecordCharge(CosmosContainerNames.WebhookDeliveries, "create", ex.RequestCharge);
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.WebhookDelivery, $"Delivery '{delivery.DeliveryId}'");
        }
    }

    public async Task<WebhookDelivery?> GetCompletedDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Deliveries.ReadItemAsync<JsonObject>(
                CosmosDocuments.CompletedId, new PartitionKey(deliveryId), cancellationToken: cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.WebhookDeliveries, "read", response.RequestCharge);
            return CosmosDocuments.DeliveryAttempt.Record(response.Resource);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            _telemetry.RecordCharge(CosmosContainerNames.WebhookDeliveries, "read", ex.RequestCharge);
            return null;
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.WebhookDelivery, $"Delivery '{deliveryId}'");
        }
    }

    /// <summary>Deletes the completion record (a point delete in the delivery's partition).</summary>
    public async Task<bool> ReopenDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Deliveries.DeleteItemAsync<JsonObject>(
                CosmosDocuments.CompletedId, new PartitionKey(deliveryId), cancellationToken: cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.WebhookDeliveries, "delete", response.RequestCharge);
            return true;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.WebhookDelivery, $"Delivery '{deliveryId}'");
        }
    }

    /// <summary>A single-partition query: the log is partitioned by delivery id.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveryAttemptsAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        var documents = await QueryAsync<JsonObject>(
            Deliveries, CosmosWebhookQueries.DeliveryAttempts(), new PartitionKey(deliveryId), "attempts", cancellationToken);
        return documents.Select(CosmosDocuments.DeliveryAttempt.Record).ToList();
    }

    /// <summary>Cross-partition (the log is partitioned by delivery id): an operator's view, not on any hot path.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string webhookId, int maxCount, CancellationToken cancellationToken = default)
    {
        if (maxCount <= 0)
        {
            return [];
        }

        var documents = await QueryAsync<JsonObject>(
            Deliveries, CosmosWebhookQueries.DeliveryLog(webhookId, maxCount), partition: null, "log", cancellationToken);
        return documents.Take(maxCount).Select(CosmosDocuments.DeliveryAttempt.Record).ToList();
    }

    private async Task<Webhook?> FindAsync(string webhookId, CancellationToken cancellationToken)
    {
        var documents = await QueryAsync<JsonObject>(
            Webhooks, CosmosWebhookQueries.GetById(webhookId), partition: null, "get", cancellationToken);
        return documents.FirstOrDefault() is { } document ? CosmosDocuments.Webhook.Record(document) : null;
    }

    private async Task<List<T>> QueryAsync<T>(Container container, QueryDefinition query, PartitionKey? partition, string operation, CancellationToken cancellationToken)
    {
        var results = new List<T>();
        var options = partition is { } key ? new QueryRequestOptions { PartitionKey = key } : null;
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: options);
        try
        {
            while (iterator.HasMoreResults)
            {
                var page = await iterator.ReadNextAsync(cancellationToken);
                _telemetry.RecordCharge(container.Id, operation, page.RequestCharge);
                results.AddRange(page);
            }
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw CosmosTelemetry.Map(ex, container == Webhooks ? ResourceKind.Webhook : ResourceKind.WebhookDelivery, container.Id);
        }

        return results;
    }
}

/// <summary>The parameterized queries of <see cref="CosmosWebhookStore"/> (testable without a client).</summary>
internal static class CosmosWebhookQueries
{
    public static QueryDefinition GetById(string webhookId) =>
        new QueryDefinition("SELECT * FROM c WHERE c.id = @id").WithParameter("@id", webhookId);

    public static QueryDefinition ListByProject(string projectId) =>
        new QueryDefinition("SELECT * FROM c WHERE c.projectId = @projectId").WithParameter("@projectId", projectId);

    public static QueryDefinition DeliveryAttempts() =>
        new QueryDefinition("SELECT * FROM c WHERE c.kind = @kind ORDER BY c.createdAt DESC").WithParameter("@kind", CosmosDocuments.AttemptKind);

    public static QueryDefinition DeliveryLog(string webhookId, int maxCount) =>
        new QueryDefinition("SELECT TOP @maxCount * FROM c WHERE c.webhookId = @webhookId AND c.kind = @kind ORDER BY c.createdAt DESC")
            .WithParameter("@maxCount", maxCount)
            .WithParameter("@webhookId", webhookId)
            .WithParameter("@kind", CosmosDocuments.AttemptKind);
}
