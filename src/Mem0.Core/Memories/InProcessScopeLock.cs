namespace Mem0.Core.Memories;

/// <summary>
/// A keyed semaphore: one waiter at a time per (project, scope) within this process.
/// Entries are reference-counted and removed when nobody holds or waits for them, so memory stays bounded.
/// </summary>
public sealed class InProcessScopeLock : IScopeLock
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async ValueTask<IAsyncDisposable> AcquireAsync(string projectId, MemoryScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var key = projectId + "|" + scope.Key;
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
            {
                entry = new Entry();
                _entries[key] = entry;
            }

            entry.References++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(key, entry, signal: false);
            throw;
        }

        return new Releaser(this, key, entry);
    }

    /// <summary>Number of scopes currently held or waited for (for tests).</summary>
    internal int ActiveScopes
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    private void Release(string key, Entry entry, bool signal)
    {
        if (signal)
        {
            entry.Semaphore.Release();
        }

        lock (_entries)
        {
            entry.References--;
            if (entry.References == 0)
            {
                _entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int References { get; set; }
    }

    private sealed class Releaser(InProcessScopeLock owner, string key, Entry entry) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(key, entry, signal: true);
            }

            return ValueTask.CompletedTask;
        }
    }
}
