using System.Collections.Concurrent;
using Mem0.Core.Common;
using Mem0.Core.Events;

namespace Mem0.Testing.Stores;

/// <summary>A thread-safe, zero-dependency event store: the test fake (no host uses it: each names a durable store).</summary>
public sealed class InMemoryEventStore : IEventStore
{
    private readonly ConcurrentDictionary<(string ProjectId, string EventId), MemoryEvent> _events = new();

    public Task CreateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        if (!_events.TryAdd((memoryEvent.ProjectId, memoryEvent.Id), memoryEvent))
        {
            throw new ConcurrencyConflictException($"Event '{memoryEvent.Id}' already exists.");
        }

        return Task.CompletedTask;
    }

    public Task UpdateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        var key = (memoryEvent.ProjectId, memoryEvent.Id);
        while (true)
        {
            if (!_events.TryGetValue(key, out var current))
            {
                throw new NotFoundException(ResourceKind.Event, $"Event '{memoryEvent.Id}' not found.");
            }

            if (_events.TryUpdate(key, memoryEvent, current))
            {
                return Task.CompletedTask;
            }
        }
    }

    public Task<MemoryEvent?> GetAsync(string projectId, string eventId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_events.TryGetValue((projectId, eventId), out var memoryEvent) ? memoryEvent : null);

    public Task<EventPage> ListAsync(string projectId, EventListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matching = _events.Values
            .Where(e => e.ProjectId == projectId)
            .Where(e => query.Status is null || e.Status == query.Status)
            .Where(e => query.EventType is null || string.Equals(e.EventType, query.EventType, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(e => e.CreatedAt)
            .ThenByDescending(e => e.Id, StringComparer.Ordinal)
            .ToList();
        var page = Math.Max(1, query.Page);
        var size = Math.Max(1, query.PageSize);
        IReadOnlyList<MemoryEvent> items = [.. matching.Skip((page - 1) * size).Take(size)];
        return Task.FromResult(new EventPage(items, matching.Count));
    }
}
