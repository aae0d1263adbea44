namespace Mem0.Local.Jobs;

/// <summary>
/// Decides which waiting job starts next: one FIFO queue per project, and the next job comes from the waiting project
/// served least recently (projects never served first, in order of arrival). Busy projects therefore alternate, and a
/// project that submits one job behind another project's burst waits for at most the job already running: a burst of
/// async adds or imports in one project cannot starve the others. Within a project the order of submission is kept.
/// Thread-safe; meant for one reader.
/// </summary>
public sealed class ProjectFairQueue<T>
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Queue<T>> _waiting = new(StringComparer.Ordinal);

    // When each project was last served (a sequence number), and the order projects first queued in.
    private readonly Dictionary<string, long> _lastServed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _arrival = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _available = new(0);
    private long _sequence;
    private bool _completed;

    /// <summary>Items waiting, over all projects.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Values.Sum(q => q.Count);
            }
        }
    }

    /// <summary>Adds an item at the end of its project's queue; false once <see cref="Complete"/> was called.</summary>
    public bool TryEnqueue(string projectId, T item)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            if (!_waiting.TryGetValue(projectId, out var queue))
            {
                queue = new Queue<T>();
                _waiting[projectId] = queue;
                _arrival.TryAdd(projectId, ++_sequence);
            }

            queue.Enqueue(item);
        }

        _available.Release();
        return true;
    }

    /// <summary>Stops accepting items; items already queued can still be taken.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
        }

        // Wake a reader waiting on an empty queue so that it sees the end.
        _available.Release();
    }

    /// <summary>Waits for the next item (see the class summary for which); (false, default) once completed and empty.</summary>
    public async Task<(bool Found, T Item)> TryDequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken);
            lock (_gate)
            {
                if (NextProject() is { } projectId)
                {
                    var queue = _waiting[projectId];
                    var item = queue.Dequeue();
                    if (queue.Count == 0)
                    {
                        _waiting.Remove(projectId);
                    }

                    _lastServed[projectId] = ++_sequence;
                    return (true, item);
                }

                if (_completed)
                {
                    // Leave the signal for any later call, which must see the end too.
                    _available.Release();
                    return (false, default!);
                }
            }
        }
    }

    private string? NextProject()
    {
        string? best = null;
        (bool Served, long At) bestKey = default;
        foreach (var projectId in _waiting.Keys)
        {
            var key = _lastServed.TryGetValue(projectId, out var served) ? (true, served) : (false, _arrival[projectId]);
            if (best is null || (!key.Item1 && bestKey.Served) || (key.Item1 == bestKey.Served && key.Item2 < bestKey.At))
            {
                best = projectId;
                bestKey = key;
            }
        }

        return best;
    }
}
