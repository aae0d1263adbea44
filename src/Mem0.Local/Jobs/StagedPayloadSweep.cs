using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Local.Jobs;

/// <summary>
/// At start, after <see cref="InterruptedJobRecovery"/>: deletes staged job payloads nothing will read again, so the
/// memory text in them does not outlive its job (after a kill -9 the jobs that would have deleted them are gone).
/// A payload goes when its event has ended (SUCCEEDED, or FAILED, which includes every job the recovery just
/// failed), or when it has no event and was written before this process started (a crash between staging and
/// recording). Payloads of jobs accepted by this process are never touched.
/// </summary>
public sealed partial class StagedPayloadSweep(
    FileJobPayloadStore payloads,
    IEventStore events,
    TimeProvider timeProvider,
    ILogger<StagedPayloadSweep> logger) : IHostedService
{
    private readonly DateTimeOffset _processStarted = timeProvider.GetUtcNow();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var staged in payloads.ListStaged())
        {
            var memoryEvent = staged is { ProjectId: { } projectId, EventId: { } eventId }
                ? await events.GetAsync(projectId, eventId, cancellationToken)
                : null;
            var ended = memoryEvent is { Status: EventStatus.Succeeded or EventStatus.Failed };
            var orphan = memoryEvent is null && staged.LastWrite < _processStarted;
            if (!ended && !orphan)
            {
                continue;
            }

            try
            {
                await payloads.DeletePrefixAsync(staged.Prefix, cancellationToken);
                deleted++;
            }
            catch (IOException ex)
            {
                LogDeleteFailed(logger, staged.Prefix, ex);
            }
        }

        if (deleted > 0)
        {
            LogSwept(logger, deleted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3210, Level = LogLevel.Information, Message = "Deleted {Count} staged job payload(s) left behind by an earlier process")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Warning, Message = "Could not delete the staged job payload {Prefix}")]
    private static partial void LogDeleteFailed(ILogger logger, string prefix, Exception exception);
}
