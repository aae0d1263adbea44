namespace Mem0.Core.Memories;

/// <summary>
/// A process-local <see cref="IMemoryChangeOutbox"/> for the in-memory store and tests: the store calls
/// <see cref="Append"/> with the history of each change set it commits, under its own lock.
/// </summary>
public sealed class InMemoryChangeOutbox : IMemoryChangeOutbox
{
    private readonly List<HistoryEntry> _pending = [];
    private readonly Lock _lock = new();

    public void Append(IEnumerable<HistoryEntry> entries)
    {
        lock (_lock)
        {
            _pending.AddRange(entries);
        }
    }

    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    public Task<IReadOnlyList<HistoryEntry>> GetUndispatchedAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<HistoryEntry> result = _pending.Take(maxCount).ToList();
            return Task.FromResult(result);
        }
    }

    public Task MarkDispatchedAsync(IReadOnlyCollection<string> historyEntryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(historyEntryIds);
        var ids = historyEntryIds.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            _pending.RemoveAll(e => ids.Contains(e.Id));
        }

        return Task.CompletedTask;
    }
}
