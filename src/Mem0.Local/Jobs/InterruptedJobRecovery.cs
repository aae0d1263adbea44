using Mem0.Core.Events;
using Mem0.Core.Projects;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Local.Jobs;

/// <summary>
/// At start, ends every event a previous process left PENDING or RUNNING: the local durable backend keeps its state in
/// memory, so those jobs are gone. They end FAILED with a clear message instead of staying stuck.
/// </summary>
public sealed partial class InterruptedJobRecovery(
    IProjectStore projects,
    IEventStore events,
    TimeProvider timeProvider,
    ILogger<InterruptedJobRecovery> logger) : IHostedService
{
    public const string Message = "The job was interrupted by a restart of the server; submit it again.";

    private const int PageSize = 200;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetUtcNow();
        var recovered = 0;
        foreach (var project in await projects.ListProjectsAsync(cancellationToken))
        {
            var stale = new List<MemoryEvent>();
            foreach (var status in new[] { EventStatus.Pending, EventStatus.Running })
            {
                for (var page = 1; ; page++)
                {
                    var result = await events.ListAsync(project.ProjectId, new EventListQuery(page, PageSize, status), cancellationToken);
                    stale.AddRange(result.Items.Where(e => e.CreatedAt < startedAt));
                    if (page * PageSize >= result.TotalCount || result.Items.Count == 0)
                    {
                        break;
                    }
                }
            }

            foreach (var memoryEvent in stale)
            {
                await events.UpdateAsync(EventLifecycle.Fail(memoryEvent, timeProvider.GetUtcNow(), Message), cancellationToken);
                recovered++;
            }
        }

        if (recovered > 0)
        {
            LogRecovered(logger, recovered);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "{Count} job(s) interrupted by the previous shutdown were marked FAILED")]
    private static partial void LogRecovered(ILogger logger, int count);
}
