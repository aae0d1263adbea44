using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Projects;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Memories;

/// <summary>
/// The memory engine: the one entry point both hosts and all jobs call. Host-agnostic.
/// Adds go through <see cref="AddPipeline"/>; the other verbs validate, embed when text changes, and write
/// through <see cref="IMemoryStore"/> with history.
/// </summary>
public sealed partial class MemoryService
{
    private const string ApiActor = "api";

    private readonly IMemoryStore _store;
    private readonly EmbeddingClient _embeddings;
    private readonly AddPipeline _addPipeline;
    private readonly MemoryEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MemoryService> _logger;
    private readonly IPendingDeletes? _pendingDeletes;

    /// <param name="addPipeline">The add path (registered on its own, so the engine never builds it).</param>
    /// <param name="pendingDeletes">Accepted scope deletes whose memories reads hide; null where no delete runs as a job.</param>
    public MemoryService(
        IMemoryStore store,
        AddPipeline addPipeline,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        IOptions<MemoryEngineOptions> options,
        TimeProvider timeProvider,
        ILogger<MemoryService> logger,
        IPendingDeletes? pendingDeletes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _addPipeline = addPipeline ?? throw new ArgumentNullException(nameof(addPipeline));
        _embeddings = new EmbeddingClient(embeddingGenerator);
        _options = options.Value;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _pendingDeletes = pendingDeletes;
    }

    /// <summary><see cref="ExtractorKind.Llm"/> when a chat client is configured, else <see cref="ExtractorKind.Heuristic"/>.</summary>
    public string Extractor => _addPipeline.Extractor;

    /// <summary>Adds memories from a conversation (inference or verbatim). Serialized per scope.</summary>
    public Task<AddMemoriesResult> AddAsync(AddMemoriesRequest request, CancellationToken cancellationToken = default)
    {
        MemoryRules.CheckAdd(request);
        return _addPipeline.AddAsync(request, cancellationToken);
    }

    /// <summary>Semantic (optionally hybrid) search, thresholded on the semantic score.</summary>
    public async Task<IReadOnlyList<ScoredMemory>> SearchAsync(SearchMemoriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        MemoryRules.CheckSearch(request.Query, request.TopK, request.Threshold);

        var query = request.Query.Trim();
        var (vector, modelId) = await _embeddings.EmbedQueryAsync(query, cancellationToken);
        var hits = await _store.SearchAsync(request.ProjectId, new MemorySearchQuery
        {
            Filter = await VisibleAsync(request.ProjectId, request.Filter, cancellationToken),
            Vector = vector,
            EmbeddingModel = modelId,
            QueryText = query,
            TopK = request.TopK,
            KeywordSearch = request.KeywordSearch,
            IncludeExpired = request.ShowExpired,
            Today = Today(),
        }, cancellationToken);
        return hits.Where(h => h.Score >= request.Threshold).ToList();
    }

    public async Task<ListMemoriesResult> ListAsync(ListMemoriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var today = Today();
        var filter = await VisibleAsync(request.ProjectId, request.Filter, cancellationToken);
        var page = await _store.ListAsync(request.ProjectId, new MemoryListQuery
        {
            Filter = filter,
            PageSize = request.PageSize,
            ContinuationToken = request.ContinuationToken,
            IncludeExpired = request.ShowExpired,
            Today = today,
        }, cancellationToken);
        var total = await _store.CountAsync(request.ProjectId, filter, request.ShowExpired, today, cancellationToken);
        return new ListMemoriesResult(page.Items, page.ContinuationToken, total);
    }

    /// <summary>Throws <see cref="MemoryNotFoundException"/> when absent or when a pending scope delete covers it.</summary>
    public async Task<MemoryRecord> GetAsync(string projectId, string memoryId, CancellationToken cancellationToken = default)
    {
        var memory = await _store.GetAsync(projectId, memoryId, cancellationToken) ?? throw NotFound();
        if (_pendingDeletes is not null
            && (await _pendingDeletes.ListAsync(projectId, cancellationToken)).Any(pending => FilterEvaluator.Matches(pending, memory)))
        {
            throw NotFound();
        }

        return memory;
    }

    /// <summary>The caller's filter minus the scopes of accepted deletes that are still running (read-after-delete).</summary>
    private async Task<FilterNode> VisibleAsync(string projectId, FilterNode filter, CancellationToken cancellationToken)
    {
        if (_pendingDeletes is null)
        {
            return filter;
        }

        var pending = await _pendingDeletes.ListAsync(projectId, cancellationToken);
        return pending.Count switch
        {
            0 => filter,
            1 => new AndFilter([filter, new NotFilter(pending[0])]),
            _ => new AndFilter([filter, new NotFilter(new OrFilter(pending))]),
        };
    }

    /// <summary>Scope deletes up to this size are done before the answer; larger ones run as a job.</summary>
    public int SyncDeleteLimit => _options.SyncDeleteLimit;

    /// <summary>Re-embeds when the text changes; appends history UPDATE. One retry on a concurrent change, then 409.</summary>
    public async Task<MemoryRecord> UpdateAsync(string projectId, string memoryId, UpdateMemoryRequest request, CancellationToken cancellationToken = default)
    {
        MemoryRules.CheckUpdate(request);
        var newText = request.Text?.Trim();
        EmbeddedBatch? embedded = null;
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(projectId, memoryId, cancellationToken);
            var textChanged = newText is not null && !string.Equals(newText, current.Text, StringComparison.Ordinal);
            if (textChanged && embedded is null)
            {
                embedded = await _embeddings.EmbedAsync([newText!], cancellationToken);
            }

            var now = _time.GetUtcNow();
            var updated = current with
            {
                Text = textChanged ? newText! : current.Text,
                Hash = textChanged ? ContentHash.Compute(newText!) : current.Hash,
                Embedding = textChanged ? embedded!.Vectors[0] : current.Embedding,
                EmbeddingModel = textChanged ? embedded!.ModelId : current.EmbeddingModel,
                Metadata = MetadataMerge.Merge(current.Metadata, request.Metadata),
                ExpirationDate = request.ClearExpirationDate ? null : request.ExpirationDate ?? current.ExpirationDate,
                UpdatedAt = request.Timestamp ?? now,
            };
            try
            {
                await _store.ApplyAsync(projectId, new MemoryChangeSet
                {
                    Updated = [updated],
                    History = [AddPipeline.History(updated, HistoryEvent.Update, current.Text, updated.Text, [], ApiActor, now)],
                }, cancellationToken);
                return await _store.GetAsync(projectId, memoryId, cancellationToken) ?? updated;
            }
            catch (ConcurrencyConflictException) when (attempt == 1)
            {
                LogRetryingAfterConflict(_logger, projectId, memoryId);
            }
        }
    }

    /// <summary>Deletes one memory; appends history DELETE.</summary>
    public async Task DeleteAsync(string projectId, string memoryId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await GetAsync(projectId, memoryId, cancellationToken);
            try
            {
                await _store.ApplyAsync(projectId, DeleteChangeSet([current], _time.GetUtcNow()), cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt == 1)
            {
                LogRetryingAfterConflict(_logger, projectId, memoryId);
            }
        }
    }

    /// <summary>Deletes every memory matching the filter (expired ones too), batch by batch (<see cref="DeleteBatchAsync"/>); returns how many.</summary>
    public async Task<int> DeleteAllAsync(string projectId, FilterNode filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var total = 0;
        int deleted;
        while ((deleted = await DeleteBatchAsync(projectId, filter, cancellationToken: cancellationToken)) > 0)
        {
            total += deleted;
        }

        return total;
    }

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string projectId, string memoryId, CancellationToken cancellationToken = default) =>
        _store.GetHistoryAsync(projectId, memoryId, cancellationToken);

    public Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(string projectId, CancellationToken cancellationToken = default) =>
        _store.ListEntitiesAsync(projectId, cancellationToken);

    /// <summary>Deletes every memory of the entity; returns how many.</summary>
    public Task<int> DeleteEntityAsync(string projectId, EntityType type, string name, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ValidationException("entity_id", "The entity name must not be empty.");
        }

        return DeleteAllAsync(projectId, FilterScopes.Entity(type, name), cancellationToken);
    }

    /// <summary>
    /// Deletes the entity of that type whose listed numeric <see cref="EntitySummary.Id"/> is <paramref name="numericId"/>;
    /// an id that is no listed entity's is taken as a (numeric) name, as before ids were listed. Returns how many were deleted.
    /// </summary>
    public async Task<int> DeleteEntityByIdAsync(string projectId, EntityType type, string numericId, CancellationToken cancellationToken = default)
    {
        var entities = await _store.ListEntitiesAsync(projectId, cancellationToken);
        var match = entities.FirstOrDefault(e => e.Type == type && string.Equals(e.Id, numericId, StringComparison.Ordinal));
        return await DeleteEntityAsync(projectId, type, match?.Name ?? numericId, cancellationToken);
    }

    /// <summary>Up to 1,000 updates, all validated and loaded before any is written; one change set.</summary>
    public async Task<int> BatchUpdateAsync(string projectId, IReadOnlyList<BatchUpdateItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ValidateBatchSize(items.Count, "updated");
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (string.IsNullOrWhiteSpace(item.MemoryId))
            {
                throw new ValidationException($"memories[{i}].memory_id", $"memories[{i}].memory_id is required.");
            }

            if (item.Text is null && item.Metadata is null)
            {
                throw new ValidationException($"memories[{i}]", "Each update needs text or metadata.");
            }

            MemoryRules.CheckMemoryText(item.Text, $"memories[{i}].text");
            MemoryRules.CheckMetadata(item.Metadata);
        }

        var current = await LoadAllAsync(projectId, items.Select(i => i.MemoryId).ToList(), cancellationToken);
        var changedTexts = items
            .Where(i => i.Text is not null && !string.Equals(i.Text.Trim(), current[i.MemoryId].Text, StringComparison.Ordinal))
            .Select(i => i.Text!.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var embedded = await _embeddings.EmbedAsync(changedTexts, cancellationToken);
        var vectors = changedTexts.Select((text, index) => (text, index)).ToDictionary(p => p.text, p => embedded.Vectors[p.index], StringComparer.Ordinal);

        var now = _time.GetUtcNow();
        var changes = new ChangeSetBuilder();
        foreach (var item in items)
        {
            var old = current[item.MemoryId];
            var text = item.Text?.Trim() ?? old.Text;
            var textChanged = vectors.TryGetValue(text, out var vector) && !string.Equals(text, old.Text, StringComparison.Ordinal);
            var updated = old with
            {
                Text = text,
                Hash = textChanged ? ContentHash.Compute(text) : old.Hash,
                Embedding = textChanged ? vector! : old.Embedding,
                EmbeddingModel = textChanged ? embedded.ModelId : old.EmbeddingModel,
                Metadata = MetadataMerge.Merge(old.Metadata, item.Metadata),
                UpdatedAt = now,
            };
            changes.Updated.Add(updated);
            changes.History.Add(AddPipeline.History(updated, HistoryEvent.Update, old.Text, updated.Text, [], ApiActor, now));
        }

        await _store.ApplyAsync(projectId, changes.Build(), cancellationToken);
        return items.Count;
    }

    /// <summary>Up to 1,000 deletions, all loaded before any is written; one change set.</summary>
    public async Task<int> BatchDeleteAsync(string projectId, IReadOnlyList<string> memoryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryIds);
        ValidateBatchSize(memoryIds.Count, "deleted");
        for (var i = 0; i < memoryIds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(memoryIds[i]))
            {
                throw new ValidationException($"memories[{i}].memory_id", $"memories[{i}].memory_id is required.");
            }
        }

        var current = await LoadAllAsync(projectId, memoryIds, cancellationToken);
        await _store.ApplyAsync(projectId, DeleteChangeSet(memoryIds.Select(id => current[id]).ToList(), _time.GetUtcNow()), cancellationToken);
        return memoryIds.Count;
    }

    // The one batch size rule (the wire text is the platform's, without a final period).
    private void ValidateBatchSize(int count, string verb)
    {
        if (count == 0)
        {
            throw new ValidationException("memories", "'memories' must not be empty.");
        }

        if (count > _options.MaxBatchSize)
        {
            throw new ValidationException("memories", $"Maximum of {_options.MaxBatchSize} memories can be {verb} in a single request");
        }
    }

    private async Task<Dictionary<string, MemoryRecord>> LoadAllAsync(string projectId, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var duplicate = ids.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ValidationException("memories", $"Memory {duplicate.Key} appears more than once.");
        }

        var found = await _store.GetManyAsync(projectId, ids.ToList(), cancellationToken);
        var byId = found.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var missing = ids.FirstOrDefault(id => !byId.ContainsKey(id));
        return missing is null ? byId : throw new MemoryNotFoundException($"Memory {missing} not found!");
    }

    private static MemoryChangeSet DeleteChangeSet(IReadOnlyList<MemoryRecord> memories, DateTimeOffset now) => new()
    {
        Deleted = memories,
        History = memories.Select(m => AddPipeline.History(m, HistoryEvent.Delete, m.Text, null, [], ApiActor, now)).ToList(),
    };

    private DateOnly Today() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);

    private static MemoryNotFoundException NotFound() => new("Memory not found!");

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory {MemoryId} of project {ProjectId} changed concurrently; retrying once")]
    private static partial void LogRetryingAfterConflict(ILogger logger, string projectId, string memoryId);
}
