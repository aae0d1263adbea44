using Mem0.Core.Filters;

namespace Mem0.Core.Memories;

/// <summary>
/// The memory engine: the one entry point both hosts and all jobs call. Host-agnostic.
/// SKELETON: signatures are the contract between the engine and the HTTP layer; bodies are filled by the engine work.
/// </summary>
public sealed class MemoryService
{
    /// <summary>Adds memories from a conversation (inference or verbatim). Serialized per scope.</summary>
    public Task<AddMemoriesResult> AddAsync(AddMemoriesRequest request, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Semantic (optionally hybrid) search, thresholded on the semantic score.</summary>
    public Task<IReadOnlyList<ScoredMemory>> SearchAsync(SearchMemoriesRequest request, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    public Task<ListMemoriesResult> ListAsync(ListMemoriesRequest request, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Throws <see cref="Common.MemoryNotFoundException"/> when absent.</summary>
    public Task<MemoryRecord> GetAsync(string projectId, string memoryId, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Re-embeds when the text changes; appends history UPDATE.</summary>
    public Task<MemoryRecord> UpdateAsync(string projectId, string memoryId, UpdateMemoryRequest request, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Deletes one memory; appends history DELETE.</summary>
    public Task DeleteAsync(string projectId, string memoryId, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Deletes every memory matching the filter, in batches; returns how many.</summary>
    public Task<int> DeleteAllAsync(string projectId, FilterNode filter, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string projectId, string memoryId, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    public Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(string projectId, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Deletes every memory of the entity; returns how many.</summary>
    public Task<int> DeleteEntityAsync(string projectId, EntityType type, string name, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Up to 1,000 updates, all validated before any is written.</summary>
    public Task<int> BatchUpdateAsync(string projectId, IReadOnlyList<BatchUpdateItem> items, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <summary>Up to 1,000 deletions.</summary>
    public Task<int> BatchDeleteAsync(string projectId, IReadOnlyList<string> memoryIds, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();
}
