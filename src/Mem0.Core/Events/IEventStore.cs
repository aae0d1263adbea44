namespace Mem0.Core.Events;

/// <summary>Where events (jobs) are recorded and polled.</summary>
public interface IEventStore
{
    Task CreateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored event; throws <see cref="Common.MemoryNotFoundException"/> when absent.</summary>
    Task UpdateAsync(MemoryEvent memoryEvent, CancellationToken cancellationToken = default);

    Task<MemoryEvent?> GetAsync(string projectId, string eventId, CancellationToken cancellationToken = default);

    /// <summary>Newest first; optional status and type filters; offset paging (events are few per project).</summary>
    Task<EventPage> ListAsync(string projectId, EventListQuery query, CancellationToken cancellationToken = default);
}

public sealed record EventListQuery(int Page = 1, int PageSize = 50, EventStatus? Status = null, string? EventType = null);

public sealed record EventPage(IReadOnlyList<MemoryEvent> Items, int TotalCount);
