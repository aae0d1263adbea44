namespace Mem0.Core.Memories;

/// <summary>
/// The notification outbox. The history entries a store writes inside <see cref="IMemoryStore.ApplyAsync"/> are the
/// pending notifications: they commit or roll back with the change itself, so a committed change can never be left
/// without its notification. Implemented by each memory store next to its history (a "dispatched" flag or table in
/// SQLite, the change feed / a flag on history documents in Cosmos DB).
/// </summary>
public interface IMemoryChangeOutbox
{
    /// <summary>Up to <paramref name="maxCount"/> committed history entries, of any project, not yet marked dispatched; oldest first.</summary>
    Task<IReadOnlyList<HistoryEntry>> GetUndispatchedAsync(int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Marks entries dispatched (their notifications are enqueued). Unknown ids are ignored; repeating is harmless.</summary>
    Task MarkDispatchedAsync(IReadOnlyCollection<string> historyEntryIds, CancellationToken cancellationToken = default);
}
