namespace Mem0.Core.Events;

/// <summary>Where events (jobs) are recorded and polled.</summary>
public interface IEventStore
{
    Task CreateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored event; throws <see cref="Common.NotFoundException"/> when absent.</summary>
    Task UpdateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default);

    Task<MemoryEvent?> GetAsync(string projectId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>Newest first; optional status and type filters; offset paging (events are few per project).</summary>
    Task<EventPage> ListAsync(string projectId, EventListQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// The project's events of <paramref name="eventType"/> still PENDING or RUNNING, in no particular order (at most
    /// <paramref name="max"/>). Read on every memory read (pending deletes), so a store should answer it with one query.
    /// </summary>
    async Task<IReadOnlyList<MemoryEvent>> ListUnfinishedAsync(string projectId, string eventType, int max = 1000, CancellationToken cancellationToken = default)
    {
        var pending = await ListAsync(projectId, new EventListQuery(PageSize: max, Status: EventStatus.Pending, EventType: eventType), cancellationToken);
        var running = await ListAsync(projectId, new EventListQuery(PageSize: max, Status: EventStatus.Running, EventType: eventType), cancellationToken);
        return [.. pending.Items, .. running.Items];
    }
}

public sealed record EventListQuery(int Page = 1, int PageSize = 50, EventStatus? Status = null, string? EventType = null);

public sealed record EventPage(IReadOnlyList<MemoryEvent> Items, int TotalCount);
