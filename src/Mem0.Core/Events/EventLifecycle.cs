using System.Text.Json;
using Mem0.Core.Common;

namespace Mem0.Core.Events;

/// <summary>
/// The one place events are created and moved through PENDING → RUNNING → SUCCEEDED | FAILED. The static methods are the
/// transitions (pure, so jobs and the sweeper apply the same rules); the instance methods also write them to the store.
/// A finished event is never moved again: a late or repeated completion (a job run twice after a crash) is a no-op.
/// </summary>
public sealed class EventLifecycle(IEventStore events, TimeProvider timeProvider)
{
    /// <summary>A new event id (event ids double as job instance ids).</summary>
    public static string NewId() => Guid.NewGuid().ToString();

    /// <summary>A PENDING event, not yet stored.</summary>
    public static MemoryEvent Pending(
        string projectId, string eventType, DateTimeOffset now, JsonElement? payload = null, EventProgress? progress = null, string? id = null) =>
        new()
        {
            Id = id ?? NewId(),
            ProjectId = projectId,
            EventType = eventType,
            Status = EventStatus.Pending,
            Payload = payload,
            Progress = progress,
            CreatedAt = now,
            UpdatedAt = now,
        };

    /// <summary>PENDING → RUNNING; a RUNNING event keeps its start time; a finished one cannot start.</summary>
    public static MemoryEvent Start(MemoryEvent memoryEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        RequireUnfinished(memoryEvent);
        return memoryEvent.Status == EventStatus.Running
            ? memoryEvent
            : memoryEvent with { Status = EventStatus.Running, StartedAt = now, UpdatedAt = now };
    }

    /// <summary>
    /// → SUCCEEDED with optional results and progress (an event that never ran explicitly starts now). <paramref name="error"/>
    /// summarises partial failures of a job that succeeded as a whole (e.g. some import items refused).
    /// </summary>
    public static MemoryEvent Succeed(
        MemoryEvent memoryEvent, DateTimeOffset now, JsonElement? results = null, EventProgress? progress = null, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        RequireUnfinished(memoryEvent);
        return memoryEvent with
        {
            Status = EventStatus.Succeeded,
            Results = results ?? memoryEvent.Results,
            Progress = progress ?? memoryEvent.Progress,
            Error = error,
            StartedAt = memoryEvent.StartedAt ?? now,
            CompletedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>→ FAILED with the reason clients see on the event.</summary>
    public static MemoryEvent Fail(MemoryEvent memoryEvent, DateTimeOffset now, string? error)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        RequireUnfinished(memoryEvent);
        return memoryEvent with
        {
            Status = EventStatus.Failed,
            Error = error,
            StartedAt = memoryEvent.StartedAt ?? now,
            CompletedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>True once the event has ended (SUCCEEDED or FAILED).</summary>
    public static bool IsFinished(MemoryEvent memoryEvent) =>
        memoryEvent?.Status is EventStatus.Succeeded or EventStatus.Failed;

    /// <summary>Stores a new PENDING event.</summary>
    public async Task<MemoryEvent> CreatePendingAsync(
        string projectId, string eventType, JsonElement? payload = null, EventProgress? progress = null, string? id = null, CancellationToken cancellationToken = default)
    {
        var memoryEvent = Pending(projectId, eventType, timeProvider.GetUtcNow(), payload, progress, id);
        await events.CreateAsync(memoryEvent, cancellationToken);
        return memoryEvent;
    }

    /// <summary>Stores an event for work already done between <paramref name="startedAt"/> and now (SUCCEEDED at once).</summary>
    public async Task<MemoryEvent> RecordSucceededAsync(
        string projectId,
        string eventType,
        DateTimeOffset startedAt,
        JsonElement? payload = null,
        JsonElement? results = null,
        EventProgress? progress = null,
        string? id = null,
        CancellationToken cancellationToken = default)
    {
        var memoryEvent = Succeed(Start(Pending(projectId, eventType, startedAt, payload, id: id), startedAt), timeProvider.GetUtcNow(), results, progress);
        await events.CreateAsync(memoryEvent, cancellationToken);
        return memoryEvent;
    }

    /// <summary>Stores an event for work that started at <paramref name="startedAt"/> and failed just now.</summary>
    public async Task<MemoryEvent> RecordFailedAsync(
        string projectId, string eventType, DateTimeOffset startedAt, string error, JsonElement? payload = null, string? id = null, CancellationToken cancellationToken = default)
    {
        var memoryEvent = Fail(Start(Pending(projectId, eventType, startedAt, payload, id: id), startedAt), timeProvider.GetUtcNow(), error);
        await events.CreateAsync(memoryEvent, cancellationToken);
        return memoryEvent;
    }

    /// <summary>Moves a PENDING event to RUNNING; null when it is gone or already finished (the job then stops).</summary>
    public Task<MemoryEvent?> StartAsync(string projectId, string eventId, CancellationToken cancellationToken = default) =>
        MoveAsync(projectId, eventId, (current, now) => Start(current, now), cancellationToken);

    /// <summary>Ends the event SUCCEEDED; null when it is gone or already finished (left as it is).</summary>
    public Task<MemoryEvent?> CompleteAsync(
        string projectId, string eventId, JsonElement? results = null, EventProgress? progress = null, string? error = null, CancellationToken cancellationToken = default) =>
        MoveAsync(projectId, eventId, (current, now) => Succeed(current, now, results, progress, error), cancellationToken);

    /// <summary>Ends the event FAILED with <paramref name="error"/>; null when it is gone or already finished (left as it is).</summary>
    public Task<MemoryEvent?> FailAsync(string projectId, string eventId, string? error, CancellationToken cancellationToken = default) =>
        MoveAsync(projectId, eventId, (current, now) => Fail(current, now, error), cancellationToken);

    /// <summary>Records progress (and interim results) on an unfinished event; throws when the event is gone.</summary>
    public async Task<MemoryEvent> ReportAsync(
        string projectId, string eventId, EventProgress? progress = null, JsonElement? results = null, CancellationToken cancellationToken = default)
    {
        var current = await events.GetAsync(projectId, eventId, cancellationToken)
            ?? throw new NotFoundException(ResourceKind.Event, $"Event '{eventId}' not found.");
        var updated = current with
        {
            Progress = progress ?? current.Progress,
            Results = results ?? current.Results,
            UpdatedAt = timeProvider.GetUtcNow(),
        };
        await events.UpdateAsync(updated, cancellationToken);
        return updated;
    }

    private async Task<MemoryEvent?> MoveAsync(
        string projectId, string eventId, Func<MemoryEvent, DateTimeOffset, MemoryEvent> transition, CancellationToken cancellationToken)
    {
        var current = await events.GetAsync(projectId, eventId, cancellationToken);
        if (current is null || IsFinished(current))
        {
            return null;
        }

        var moved = transition(current, timeProvider.GetUtcNow());
        if (!ReferenceEquals(moved, current))
        {
            await events.UpdateAsync(moved, cancellationToken);
        }

        return moved;
    }

    private static void RequireUnfinished(MemoryEvent memoryEvent)
    {
        if (IsFinished(memoryEvent))
        {
            throw new InvalidOperationException($"Event '{memoryEvent.Id}' has already ended ({memoryEvent.Status}).");
        }
    }
}
