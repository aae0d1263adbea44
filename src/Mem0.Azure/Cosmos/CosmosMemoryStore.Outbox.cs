using System.Collections.Concurrent;
using System.Net;
using Mem0.Core.Memories;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary>
/// The webhook outbox on Cosmos DB: every history document is written with <c>dispatched: false</c> by
/// <see cref="ApplyAsync"/>, the dispatcher finds pending ones with a cross-partition query on the flag, and marks them
/// with a patch. Chosen over the change feed because it needs no lease container, no change-feed processor to host
/// and checkpoint, and it keeps the same semantics as the SQLite outbox (pending until marked, re-read after a crash).
/// The price is one cross-partition query per sweep (a few RU per physical partition of <c>history</c>): acceptable at
/// our volumes; a deployment with very many physical partitions should raise <c>Mem0:Webhooks:SweepInterval</c>.
/// Known window: history is written before the memories (see <see cref="ApplyAsync"/>), so a sweep landing between
/// the two could notify a change whose memory write then fails and whose history is then deleted.
/// </summary>
public sealed partial class CosmosMemoryStore : IMemoryChangeOutbox
{
    /// <summary>How many patches run at once when marking a batch.</summary>
    private const int MarkParallelism = 8;

    /// <summary>Partition keys of entries handed out by <see cref="GetUndispatchedAsync"/>, so marking them needs no lookup query.</summary>
    private readonly ConcurrentDictionary<string, HistoryLocation> _pendingLocations = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<HistoryEntry>> GetUndispatchedAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        if (maxCount <= 0)
        {
            return [];
        }

        var documents = await QueryAllPartitionsAsync<HistoryDocument>(
            History, CosmosMemoryQueries.Undispatched(maxCount), "outbox", cancellationToken);
        var entries = new List<HistoryEntry>(Math.Min(maxCount, documents.Count));
        foreach (var document in documents.Take(maxCount))
        {
            _pendingLocations[document.Id] = new HistoryLocation { Id = document.Id, ProjectId = document.ProjectId, MemoryId = document.MemoryId };
            entries.Add(document.ToEntry());
        }

        return entries;
    }

    public async Task MarkDispatchedAsync(IReadOnlyCollection<string> historyEntryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(historyEntryIds);
        var ids = historyEntryIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        var locations = new List<HistoryLocation>(ids.Count);
        var unknown = new List<string>();
        foreach (var id in ids)
        {
            if (_pendingLocations.TryGetValue(id, out var location))
            {
                locations.Add(location);
            }
            else
            {
                unknown.Add(id);
            }
        }

        if (unknown.Count > 0)
        {
            // Ids not handed out by this instance (another process swept them): find their partitions.
            locations.AddRange(await QueryAllPartitionsAsync<HistoryLocation>(
                History, CosmosMemoryQueries.UndispatchedLocations(unknown), "outbox-locate", cancellationToken));
        }

        await Parallel.ForEachAsync(
            locations,
            new ParallelOptions { MaxDegreeOfParallelism = MarkParallelism, CancellationToken = cancellationToken },
            async (location, ct) =>
            {
                await MarkOneAsync(location, ct);
                _pendingLocations.TryRemove(location.Id, out _);
            });
    }

    private async Task MarkOneAsync(HistoryLocation location, CancellationToken cancellationToken)
    {
        try
        {
            var response = await History.PatchItemAsync<HistoryDocument>(
                location.Id,
                HistoryPartition(location.ProjectId, location.MemoryId),
                [PatchOperation.Set("/dispatched", true)],
                new PatchItemRequestOptions { EnableContentResponseOnWrite = false },
                cancellationToken);
            _telemetry.RecordCharge(CosmosContainerNames.History, "outbox-mark", response.RequestCharge);
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // The entry is gone (an orphan removed after a failed change): nothing left to mark.
        }
        catch (CosmosException ex) when (CosmosTelemetry.IsDomainStatus(ex.StatusCode))
        {
            throw CosmosTelemetry.Map(ex, $"History entry {location.Id}");
        }
    }

    private async Task<List<T>> QueryAllPartitionsAsync<T>(Container container, QueryDefinition query, string operation, CancellationToken cancellationToken)
    {
        var results = new List<T>();
        using var iterator = container.GetItemQueryIterator<T>(query);
        while (iterator.HasMoreResults)
        {
            results.AddRange(await ReadPageAsync(iterator, container.Id, operation, cancellationToken));
        }

        return results;
    }

    /// <summary>The id and partition key of a history document.</summary>
    internal sealed class HistoryLocation
    {
        public required string Id { get; init; }

        public required string ProjectId { get; init; }

        public required string MemoryId { get; init; }
    }
}
