using System.Security.Cryptography;
using System.Text;
using Mem0.Core.Filters;

namespace Mem0.Core.Memories;

/// <summary>One memory to import verbatim. <see cref="Id"/> null derives a deterministic id from project, scope and text.</summary>
public sealed record ImportMemoryItem(int Index, string? Id, string Text, MemoryScope Scope, System.Text.Json.JsonElement? Metadata);

/// <summary>What happened to one import item: added, already present (skipped), or failed with a reason.</summary>
public sealed record ImportItemOutcome(int Index, string? MemoryId, MemoryOperation Event, string? Error);

/// <summary>The engine verbs the jobs use: verbatim bulk import with stable ids, and one batch of a bulk delete.</summary>
public sealed partial class MemoryService
{
    private const string ImportActor = "import";

    /// <summary>
    /// Imports items verbatim (no inference) with one batched embedding call and one change set. Re-importing the same
    /// items adds nothing: ids are the caller's or derived from (project, scope, text hash), and existing ids are skipped.
    /// </summary>
    public async Task<IReadOnlyList<ImportItemOutcome>> ImportAsync(
        string projectId, IReadOnlyList<ImportMemoryItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var outcomes = new List<ImportItemOutcome>(items.Count);
        var candidates = new List<(ImportMemoryItem Item, string Id, string Text)>(items.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var text = item.Text.Trim();
            var id = string.IsNullOrWhiteSpace(item.Id) ? DeterministicId(projectId, item.Scope, text) : item.Id.Trim();
            if (!seen.Add(id))
            {
                // The same fact twice in one batch: the first one wins, the rest are already-present duplicates.
                outcomes.Add(new ImportItemOutcome(item.Index, id, MemoryOperation.None, null));
                continue;
            }

            candidates.Add((item, id, text));
        }

        var existing = await _store.GetManyAsync(projectId, candidates.Select(c => c.Id).ToList(), cancellationToken);
        var existingById = existing.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var toAdd = new List<(ImportMemoryItem Item, string Id, string Text)>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (existingById.TryGetValue(candidate.Id, out var found))
            {
                outcomes.Add(found.Scope == candidate.Item.Scope
                    ? new ImportItemOutcome(candidate.Item.Index, candidate.Id, MemoryOperation.None, null)
                    : new ImportItemOutcome(candidate.Item.Index, candidate.Id, MemoryOperation.None, $"id {candidate.Id} is already used by a memory of another scope."));
                continue;
            }

            toAdd.Add(candidate);
        }

        if (toAdd.Count > 0)
        {
            var embedded = await _embeddings.EmbedAsync(toAdd.Select(c => c.Text).ToList(), cancellationToken);
            var now = _time.GetUtcNow();
            var added = new List<MemoryRecord>(toAdd.Count);
            var history = new List<HistoryEntry>(toAdd.Count);
            for (var i = 0; i < toAdd.Count; i++)
            {
                var (item, id, text) = toAdd[i];
                var record = new MemoryRecord
                {
                    Id = id,
                    ProjectId = projectId,
                    Text = text,
                    Hash = ContentHash.Compute(text),
                    Embedding = embedded.Vectors[i],
                    EmbeddingModel = embedded.ModelId,
                    Scope = item.Scope,
                    Metadata = item.Metadata?.Clone(),
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                added.Add(record);
                history.Add(AddPipeline.History(record, HistoryEvent.Add, null, text, [], ImportActor, now));
                outcomes.Add(new ImportItemOutcome(item.Index, id, MemoryOperation.Add, null));
            }

            await _store.ApplyAsync(projectId, new MemoryChangeSet { Added = added, History = history }, cancellationToken);
        }

        outcomes.Sort((a, b) => a.Index.CompareTo(b.Index));
        return outcomes;
    }

    /// <summary>Deletes up to one batch of the memories matching the filter (expired included), with history DELETE; returns how many.</summary>
    public async Task<int> DeleteBatchAsync(string projectId, FilterNode filter, int? batchSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        for (var attempt = 1; ; attempt++)
        {
            var page = await _store.ListAsync(projectId, new MemoryListQuery
            {
                Filter = filter,
                PageSize = batchSize ?? _options.DeleteBatchSize,
                IncludeExpired = true,
                Today = Today(),
            }, cancellationToken);
            if (page.Items.Count == 0)
            {
                return 0;
            }

            // Always the first page: the previous batch is gone, so a continuation token would skip rows. No ETag: a
            // concurrent edit must not resurrect a memory the caller wants gone.
            var batch = page.Items.Select(m => m with { ETag = null }).ToList();
            try
            {
                await _store.ApplyAsync(projectId, DeleteChangeSet(batch, _time.GetUtcNow()), cancellationToken);
                return batch.Count;
            }
            catch (Common.MemoryNotFoundException) when (attempt < 3)
            {
                // Someone deleted part of the batch concurrently; list again.
            }
        }
    }

    /// <summary>Counts the memories a delete will remove (expired ones too).</summary>
    public Task<int> CountAsync(string projectId, FilterNode filter, CancellationToken cancellationToken = default) =>
        _store.CountAsync(projectId, filter, includeExpired: true, Today(), cancellationToken);

    /// <summary>A UUID-shaped id from SHA-256 of (project, scope, text): the same fact imported twice gets the same id.</summary>
    public static string DeterministicId(string projectId, MemoryScope scope, string text)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(text);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"mem0-import\n{projectId}\n{scope.Key}\n{ContentHash.Compute(text)}"));
        var bytes = digest.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50); // version 5 style (name-based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
