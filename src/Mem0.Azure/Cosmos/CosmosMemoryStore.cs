using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary>
/// <see cref="IMemoryStore"/> on Cosmos DB. Memories live in <c>memories</c> partitioned by (projectId, ownerKey), so one
/// user's memories share a logical partition and a user-scoped search or list touches one partition; history lives in
/// <c>history</c> partitioned by (projectId, memoryId). Every memory query carries a full or prefix partition key; only
/// the webhook outbox queries history across partitions.
/// </summary>
public sealed class CosmosMemoryStore : IMemoryStore, IMemoryChangeOutbox
{
    /// <summary>Turns of one conversation arrive seconds to minutes apart; an hour apart is another conversation (as locally).</summary>
    private static readonly TimeSpan NeighbourMaxGap = TimeSpan.FromHours(1);

    private readonly CosmosContainers _containers;
    private readonly CosmosTelemetry _telemetry;

    public CosmosMemoryStore(CosmosContainers containers, CosmosTelemetry telemetry)
    {
        _containers = containers;
        _telemetry = telemetry;
    }

    private Container Memories => _containers.Memories;

    private Container History => _containers.History;

    /// <summary>
    /// Writes history first, then the memories, one logical partition at a time.
    /// Consistency: Cosmos DB is transactional only within one logical partition, and history and memories are in
    /// different containers. Writing history first means a crash or a lost race can leave a history entry describing a
    /// change that did not happen (we delete those on a clean failure), never a change without its history. Within each
    /// owner partition the memory writes are one TransactionalBatch guarded by ETags, so a concurrent writer makes the
    /// whole partition's change fail (412 → <see cref="Core.Common.ConcurrencyConflictException"/>) instead of being
    /// overwritten. The engine writes one scope per change set, so in practice a change set is one partition.
    /// </summary>
    public async Task ApplyAsync(string projectId, MemoryChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var historyWritten = new List<HistoryEntry>();
        foreach (var entry in changes.History.Select(e => e with { ProjectId = projectId }))
        {
            await CreateHistoryAsync(entry, cancellationToken);
            historyWritten.Add(entry);
        }

        var committed = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var partition in GroupByOwner(projectId, changes))
            {
                await WritePartitionAsync(projectId, partition.Key, partition.ToList(), cancellationToken);
                foreach (var write in partition)
                {
                    committed.Add(write.Id);
                }
            }
        }
        catch (Exception) when (historyWritten.Count > 0)
        {
            await DeleteOrphanHistoryAsync(historyWritten.Where(h => !committed.Contains(h.MemoryId)), cancellationToken);
            throw;
        }
    }

    public async Task<MemoryRecord?> GetAsync(string projectId, string memoryId, CancellationToken cancellationToken = default)
    {
        // The id alone does not give the owner partition, so this is a query over the project's partitions.
        var documents = await QueryAsync<JsonObject>(
            Memories, CosmosMemoryQueries.GetById(projectId, memoryId), ProjectPartition(projectId), "get", cancellationToken);
        return documents.FirstOrDefault() is { } document ? CosmosDocuments.Memory.Record(document) : null;
    }

    public async Task<IReadOnlyList<MemoryRecord>> GetManyAsync(string projectId, IReadOnlyCollection<string> memoryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryIds);
        if (memoryIds.Count == 0)
        {
            return [];
        }

        var documents = await QueryAsync<JsonObject>(
            Memories, CosmosMemoryQueries.GetByIds(projectId, memoryIds), ProjectPartition(projectId), "get-many", cancellationToken);
        return documents.Select(CosmosDocuments.Memory.Record).ToList();
    }

    public async Task<IReadOnlyList<MemoryRecord>> FindByHashAsync(string projectId, MemoryScope scope, IReadOnlyCollection<string> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(hashes);
        if (hashes.Count == 0 || scope.IsEmpty)
        {
            return [];
        }

        var documents = await QueryAsync<JsonObject>(
            Memories,
            CosmosMemoryQueries.FindByHash(projectId, scope, hashes),
            OwnerPartition(projectId, CosmosDocuments.OwnerKeyOf(scope)),
            "find-by-hash",
            cancellationToken);
        return documents.Select(CosmosDocuments.Memory.Record).ToList();
    }

    public async Task<MemoryPage> ListAsync(string projectId, MemoryListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var definition = CosmosMemoryQueries.List(projectId, query.Filter, query.IncludeExpired, query.Today);
        var partition = PartitionFor(projectId, query.Filter);
        var items = new List<MemoryRecord>();
        var token = query.ContinuationToken;

        // Cosmos may return short pages; keep reading until the page is full or the results end.
        do
        {
            var options = new QueryRequestOptions { PartitionKey = partition, MaxItemCount = query.PageSize - items.Count };
            using var iterator = Memories.GetItemQueryIterator<JsonObject>(definition, token, options);
            if (!iterator.HasMoreResults)
            {
                token = null;
                break;
            }

            var page = await ReadPageAsync(iterator, CosmosContainerNames.Memories, "list", cancellationToken);
            items.AddRange(page.Select(CosmosDocuments.Memory.Record));
            token = page.ContinuationToken;
        }
        while (token is not null && items.Count < query.PageSize);

        return new MemoryPage(items, token);
    }

    public async Task<int> CountAsync(string projectId, FilterNode filter, bool includeExpired, DateOnly today, CancellationToken cancellationToken = default)
    {
        var counts = await QueryAsync<long>(
            Memories, CosmosMemoryQueries.Count(projectId, filter, includeExpired, today), PartitionFor(projectId, filter), "count", cancellationToken);
        return checked((int)counts.Sum());
    }

    public async Task<IReadOnlyList<ScoredMemory>> SearchAsync(string projectId, MemorySearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.TopK <= 0)
        {
            return [];
        }

        var plan = CosmosMemoryQueries.PlanSearch(projectId, query);
        var hits = Scored(await QueryAsync<JsonObject>(Memories, plan.Query, PartitionFor(projectId, query.Filter), "search", cancellationToken));
        var neighbours = await ReadNeighboursAsync(projectId, query, plan, hits, cancellationToken);
        return CosmosMemoryQueries.Rank(plan, hits, neighbours);
    }

    /// <summary>
    /// The conversational neighbours of the search's anchors: two small reads per anchor, each in the anchor's owner
    /// partition (with the default weights 3 anchors, each read <c>TOP 3</c>), run together so the search waits for
    /// about one round trip, not six.
    /// </summary>
    private async Task<IReadOnlyList<NeighbourHit>> ReadNeighboursAsync(
        string projectId, MemorySearchQuery query, CosmosSearchPlan plan, IReadOnlyList<(MemoryRecord Memory, double Score)> hits, CancellationToken cancellationToken)
    {
        var anchors = CosmosMemoryQueries.Anchors(plan, hits);
        if (anchors.Count == 0)
        {
            return [];
        }

        var perSide = plan.Weights.NeighboursPerSide;
        var reads = anchors.Select(async anchor =>
        {
            var (before, after) = CosmosMemoryQueries.Neighbours(projectId, query, anchor, perSide, NeighbourMaxGap);
            var partition = OwnerPartition(projectId, CosmosDocuments.OwnerKeyOf(anchor.Scope));
            var earlier = QueryAsync<JsonObject>(Memories, before, partition, "search-neighbours", cancellationToken);
            var later = QueryAsync<JsonObject>(Memories, after, partition, "search-neighbours", cancellationToken);
            return CosmosMemoryQueries.NeighboursOf(anchor, Scored(await earlier), Scored(await later), perSide, NeighbourMaxGap);
        });
        return (await Task.WhenAll(reads)).SelectMany(found => found).ToList();
    }

    private static List<(MemoryRecord Memory, double Score)> Scored(List<JsonObject> documents) =>
        documents.Select(hit => (CosmosDocuments.Memory.Record(hit), hit["score"]?.GetValue<double>() ?? 0)).ToList();

    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string projectId, string memoryId, CancellationToken cancellationToken = default)
    {
        var documents = await QueryAsync<JsonObject>(
            History, CosmosMemoryQueries.History(projectId, memoryId), HistoryPartition(projectId, memoryId), "history", cancellationToken);
        return documents.Select(CosmosDocuments.History.Record).ToList();
    }

    public async Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var summaries = new List<EntitySummary>();
        foreach (var type in Enum.GetValues<EntityType>())
        {
            var rows = await QueryAsync<EntityRow>(
                Memories, CosmosMemoryQueries.Entities(projectId, type), ProjectPartition(projectId), "entities", cancellationToken);
            summaries.AddRange(rows
                .Where(row => row.Name is not null)
                .Select(row => new EntitySummary(type, row.Name!, row.Total, CosmosJson.ParseTime(row.CreatedAt), CosmosJson.ParseTime(row.UpdatedAt))));
        }

        return summaries;
    }

    /// <summary>
    /// Up to <paramref name="maxCount"/> memories, of any project, embedded by another model than
    /// <paramref name="modelId"/> and not among <paramref name="excludedIds"/> (the <see cref="StaleEmbeddingSource"/> the
    /// re-embedding timer works through). A cross-partition query, run only by that job.
    /// </summary>
    public async Task<IReadOnlyList<MemoryRecord>> ListEmbeddedByOtherModelsAsync(
        string modelId, IReadOnlyCollection<string> excludedIds, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelId);
        ArgumentNullException.ThrowIfNull(excludedIds);
        if (maxCount <= 0)
        {
            return [];
        }

        var documents = await QueryAsync<JsonObject>(
            Memories, CosmosMemoryQueries.EmbeddedByOtherModels(modelId, excludedIds, maxCount), partition: null, "stale-embeddings", cancellationToken);
        return documents.Take(maxCount).Select(CosmosDocuments.Memory.Record).ToList();
    }

    /// <summary>
    /// Undispatched history entries of every project, oldest first (a cross-partition query: the dispatcher sweeps
    /// all projects at once). A flag query rather than the change feed: it needs no lease container and no change-feed
    /// processor to host and checkpoint, and keeps the SQLite outbox's semantics (pending until marked, re-read after a
    /// crash); the price is one cross-partition query per sweep, a few RU per physical partition of <c>history</c>,
    /// acceptable at our volumes: sweeps run only when a write signalled one or on the 15-minute straggler timer. Because history is
    /// written before the memories, a crash between the two can notify a change that never committed; notifications are
    /// at-least-once and describe intent, never miss a committed change.
    /// </summary>
    public async Task<IReadOnlyList<HistoryEntry>> GetUndispatchedAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        if (maxCount <= 0)
        {
            return [];
        }

        var documents = await QueryAsync<JsonObject>(History, CosmosMemoryQueries.Undispatched(maxCount), partition: null, "outbox", cancellationToken);
        return documents.Select(CosmosDocuments.History.Record).ToList();
    }

    /// <summary>Finds each entry's partition, then patches <c>dispatched</c> to true; unknown ids are ignored.</summary>
    public async Task MarkDispatchedAsync(IReadOnlyCollection<string> historyEntryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(historyEntryIds);
        if (historyEntryIds.Count == 0)
        {
            return;
        }

        var keys = await QueryAsync<HistoryKey>(History, CosmosMemoryQueries.HistoryKeys(historyEntryIds), partition: null, "outbox-keys", cancellationToken);
        foreach (var key in keys)
        {
            try
            {
                var response = await History.PatchItemAsync<JsonObject>(
                    key.Id,
                    HistoryPartition(key.ProjectId, key.MemoryId),
                    [PatchOperation.Set("/dispatched", true)],
                    new PatchItemRequestOptions { EnableContentResponseOnWrite = false },
                    cancellationToken);
                _telemetry.RecordCharge(CosmosContainerNames.History, "mark-dispatched", response.RequestCharge);
            }
            catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                // Deleted meanwhile (an orphan of a failed change): nothing to mark.
            }
        }
    }

    internal static PartitionKey OwnerPartition(string projectId, string ownerKey) =>
        new PartitionKeyBuilder().Add(projectId).Add(ownerKey).Build();

    internal static PartitionKey ProjectPartition(string projectId) =>
        new PartitionKeyBuilder().Add(projectId).Build();

    internal static PartitionKey HistoryPartition(string projectId, string memoryId) =>
        new PartitionKeyBuilder().Add(projectId).Add(memoryId).Build();

    private static PartitionKey PartitionFor(string projectId, FilterNode filter) =>
        CosmosMemoryQueries.SinglePartitionOwner(filter) is { } owner ? OwnerPartition(projectId, owner) : ProjectPartition(projectId);

    private static IEnumerable<IGrouping<string, MemoryWrite>> GroupByOwner(string projectId, MemoryChangeSet changes)
    {
        var writes = changes.Added.Select(r => new MemoryWrite(MemoryWriteKind.Create, r with { ProjectId = projectId }))
            .Concat(changes.Updated.Select(r => new MemoryWrite(MemoryWriteKind.Replace, r with { ProjectId = projectId })))
            .Concat(changes.Deleted.Select(r => new MemoryWrite(MemoryWriteKind.Delete, r with { ProjectId = projectId })));
        return writes.GroupBy(w => CosmosDocuments.OwnerKeyOf(w.Record.Scope), StringComparer.Ordinal);
    }

    private async Task WritePartitionAsync(string projectId, string ownerKey, List<MemoryWrite> writes, CancellationToken cancellationToken)
    {
        var partition = OwnerPartition(projectId, ownerKey);
        if (writes.Count == 1)
        {
            // A single write needs no batch: plain point operations are cheaper and carry the same ETag guard.
            await WriteOneAsync(partition, writes[0], cancellationToken);
            return;
        }

        // Each document is serialized once: its size decides the chunking (Cosmos DB caps a batch at 100 operations and
        // 2 MB), and the same bytes are what the batch sends. Larger change sets are atomic per chunk only.
        var payloads = writes.Select(w => (Write: w, Body: w.Kind == MemoryWriteKind.Delete
            ? null
            : JsonSerializer.SerializeToUtf8Bytes(CosmosDocuments.Memory.Document(w.Record), CosmosJson.Options))).ToList();
        foreach (var chunk in CosmosBatchPlan.Chunk(payloads, p => p.Body?.Length ?? 0))
        {
            var batch = Memories.CreateTransactionalBatch(partition);
            foreach (var (write, body) in chunk)
            {
                var options = new TransactionalBatchItemRequestOptions { IfMatchEtag = write.Record.ETag };
                _ = write.Kind switch
                {
                    MemoryWriteKind.Create => batch.CreateItemStream(new MemoryStream(body!, writable: false)),
                    MemoryWriteKind.Replace => batch.ReplaceItemStream(write.Id, new MemoryStream(body!, writable: false), options),
                    _ => batch.DeleteItem(write.Id, options),
                };
            }

            using var response = await batch.ExecuteAsync(cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.Memories, "batch", response.RequestCharge);
            if (!response.IsSuccessStatusCode)
            {
                // The operation that failed carries the cause; the others report 424 Failed Dependency.
                var failedIndex = Enumerable.Range(0, response.Count).FirstOrDefault(i => response[i].StatusCode != HttpStatusCode.FailedDependency, -1);
                var status = failedIndex >= 0 ? response[failedIndex].StatusCode : response.StatusCode;
                var what = failedIndex >= 0 ? $"Memory {chunk[failedIndex].Write.Id}" : $"A memory of owner {ownerKey}";
                throw CosmosTelemetry.MapStatus(status, response.RetryAfter, ResourceKind.Memory, what)
                    ?? new InvalidOperationException($"Cosmos DB batch failed with {(int)status}: {response.ErrorMessage}");
            }
        }
    }

    private async Task WriteOneAsync(PartitionKey partition, MemoryWrite write, CancellationToken cancellationToken)
    {
        var options = new ItemRequestOptions { IfMatchEtag = write.Record.ETag, EnableContentResponseOnWrite = false };
        try
        {
            ItemResponse<JsonObject> response = write.Kind switch
            {
                MemoryWriteKind.Create => await Memories.CreateItemAsync(CosmosDocuments.Memory.Document(write.Record), partition, options, cancellationToken),
                MemoryWriteKind.Replace => await Memories.ReplaceItemAsync(CosmosDocuments.Memory.Document(write.Record), write.Id, partition, options, cancellationToken),
                _ => await Memories.DeleteItemAsync<JsonObject>(write.Id, partition, options, cancellationToken),
            };
            _telemetry.RecordCharge(CosmosContainerNames.Memories, write.Kind.ToString().ToLowerInvariant(), response.RequestCharge);
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            _telemetry.RecordCharge(CosmosContainerNames.Memories, write.Kind.ToString().ToLowerInvariant(), ex.RequestCharge);
            throw CosmosTelemetry.Map(ex, ResourceKind.Memory, $"Memory {write.Id}");
        }
    }

    private async Task CreateHistoryAsync(HistoryEntry entry, CancellationToken cancellationToken)
    {
        var options = new ItemRequestOptions { EnableContentResponseOnWrite = false };
        try
        {
            var response = await History.CreateItemAsync(
                CosmosDocuments.History.Document(entry), HistoryPartition(entry.ProjectId, entry.MemoryId), options, cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.History, "create", response.RequestCharge);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // The same entry from a retried change set: history is append-only, so it is already correct.
            _telemetry.RecordCharge(CosmosContainerNames.History, "create", ex.RequestCharge);
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.Memory, $"History entry {entry.Id}");
        }
    }

    private async Task DeleteOrphanHistoryAsync(IEnumerable<HistoryEntry> orphans, CancellationToken cancellationToken)
    {
        foreach (var orphan in orphans)
        {
            try
            {
                var response = await History.DeleteItemAsync<JsonObject>(
                    orphan.Id, HistoryPartition(orphan.ProjectId, orphan.MemoryId), cancellationToken: cancellationToken);
                _telemetry.RecordCharge(CosmosContainerNames.History, "delete", response.RequestCharge);
            }
            catch (CosmosException)
            {
                // Best effort: an orphan entry describes a change that did not happen, which is harmless to readers of
                // a memory that was never changed; the original error is the one the caller needs.
            }
        }
    }

    private async Task<List<T>> QueryAsync<T>(Container container, QueryDefinition query, PartitionKey? partition, string operation, CancellationToken cancellationToken)
    {
        var results = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query, requestOptions: new QueryRequestOptions { PartitionKey = partition });
        while (iterator.HasMoreResults)
        {
            results.AddRange(await ReadPageAsync(iterator, container.Id, operation, cancellationToken));
        }

        return results;
    }

    private async Task<FeedResponse<T>> ReadPageAsync<T>(FeedIterator<T> iterator, string container, string operation, CancellationToken cancellationToken)
    {
        try
        {
            var page = await iterator.ReadNextAsync(cancellationToken);
            _telemetry.RecordCharge(container, operation, page.RequestCharge);
            return page;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw CosmosTelemetry.Map(ex, ResourceKind.Memory, container);
        }
    }

    private enum MemoryWriteKind
    {
        Create,
        Replace,
        Delete,
    }

    private sealed record MemoryWrite(MemoryWriteKind Kind, MemoryRecord Record)
    {
        public string Id => Record.Id;
    }

    private sealed class HistoryKey
    {
        public string Id { get; init; } = "";

        public string ProjectId { get; init; } = "";

        public string MemoryId { get; init; } = "";
    }

    private sealed class EntityRow
    {
        public string? Name { get; init; }

        public int Total { get; init; }

        public string CreatedAt { get; init; } = "";

        public string UpdatedAt { get; init; } = "";
    }
}
