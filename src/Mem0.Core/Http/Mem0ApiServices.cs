using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Http;

/// <summary>
/// The services every endpoint handler needs, injected as one parameter (the eShop "[AsParameters] services" habit),
/// so the server's minimal APIs and the Functions triggers pass the same thing.
/// </summary>
public sealed class Mem0ApiServices(
    MemoryService memories,
    IEventStore events,
    IProjectStore projects,
    IJobScheduler jobs,
    TimeProvider timeProvider,
    IOptions<AdminOptions> adminOptions)
{
    public MemoryService Memories { get; } = memories;

    public IEventStore Events { get; } = events;

    public IProjectStore Projects { get; } = projects;

    public IJobScheduler Jobs { get; } = jobs;

    public TimeProvider Time { get; } = timeProvider;

    public AdminOptions Admin { get; } = adminOptions.Value;

    public DateTimeOffset Now => Time.GetUtcNow();

    public static string NewId() => Guid.NewGuid().ToString();
}
