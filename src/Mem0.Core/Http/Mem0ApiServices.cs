using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Http;

/// <summary>
/// The application services the endpoint handlers call, injected as one parameter (the eShop "[AsParameters] services"
/// habit), so the server's minimal APIs and the Functions triggers pass the same thing. Handlers parse, call one of
/// these, and map the result.
/// </summary>
public sealed class Mem0ApiServices(
    MemoryOperations memories,
    EventLog events,
    ImportService imports,
    ProjectService projects,
    TimeProvider timeProvider,
    IOptions<AdminOptions> adminOptions)
{
    /// <summary>The memory use cases (add, search, list, get, update, delete, entities, feedback).</summary>
    public MemoryOperations Memories { get; } = memories;

    /// <summary>Event status and lists.</summary>
    public EventLog Events { get; } = events;

    /// <summary>Bulk imports.</summary>
    public ImportService Imports { get; } = imports;

    /// <summary>Projects: settings (custom instructions and categories) and the admin use cases (projects, API keys).</summary>
    public ProjectService Projects { get; } = projects;

    public TimeProvider Time { get; } = timeProvider;

    public AdminOptions Admin { get; } = adminOptions.Value;

    public DateTimeOffset Now => Time.GetUtcNow();
}
