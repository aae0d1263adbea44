using Mem0.Core.Common;

namespace Mem0.Core.Events;

/// <summary>Reading events (jobs) as clients poll them: one by id, or a page filtered by status and type.</summary>
public sealed class EventLog(IEventStore events)
{
    /// <summary>The event; 404 when it is not the caller's project's.</summary>
    public async Task<MemoryEvent> GetAsync(string projectId, string eventId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(eventId))
        {
            throw new ValidationException("event_id", "'event_id' must not be empty.");
        }

        return await events.GetAsync(projectId, eventId.Trim(), cancellationToken)
            ?? throw new NotFoundException(ResourceKind.Event, "Event not found or you don't have permission to access it.");
    }

    /// <summary>Newest first.</summary>
    public Task<EventPage> ListAsync(string projectId, EventListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        Paging.Validate(query.Page, query.PageSize);
        return events.ListAsync(projectId, query, cancellationToken);
    }

    /// <summary>A status as clients spell it (any case), or a 400 naming <c>status</c>.</summary>
    public static EventStatus ParseStatus(string status) =>
        Enum.TryParse<EventStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ValidationException("status", "'status' must be PENDING, RUNNING, SUCCEEDED or FAILED.");
}
