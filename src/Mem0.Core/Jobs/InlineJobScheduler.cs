using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Memories;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Jobs;

/// <summary>
/// Runs the add before the request returns and records the outcome on the event. A stand-in until the
/// durable job backend replaces it: clients still see <c>PENDING</c> first and poll the event as usual.
/// </summary>
public sealed partial class InlineJobScheduler(
    MemoryService memories,
    IEventStore events,
    TimeProvider timeProvider,
    ILogger<InlineJobScheduler> logger) : IJobScheduler
{
    public async Task ScheduleAddAsync(MemoryEvent memoryEvent, AddMemoriesRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryEvent);
        ArgumentNullException.ThrowIfNull(request);
        var started = timeProvider.GetUtcNow();
        var running = memoryEvent with { Status = EventStatus.Running, StartedAt = started, UpdatedAt = started };
        await events.UpdateAsync(running, cancellationToken);
        try
        {
            // The add must not be abandoned half-way because the client disconnected.
            var result = await memories.AddAsync(request, CancellationToken.None);
            var done = timeProvider.GetUtcNow();
            await events.UpdateAsync(
                running with
                {
                    Status = EventStatus.Succeeded,
                    Results = AddResultsJson.ToElement(result.Results),
                    CompletedAt = done,
                    UpdatedAt = done,
                },
                CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAddFailed(logger, memoryEvent.Id, ex);
            var done = timeProvider.GetUtcNow();
            await events.UpdateAsync(
                running with
                {
                    Status = EventStatus.Failed,
                    Error = ex is Mem0Exception ? ex.Message : "The add failed; see the server log for event " + memoryEvent.Id + ".",
                    CompletedAt = done,
                    UpdatedAt = done,
                },
                CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "Add job for event {EventId} failed")]
    private static partial void LogAddFailed(ILogger logger, string eventId, Exception exception);
}
