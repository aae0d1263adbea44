using Mem0.Core.Events;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Testing.Engine;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Tests.Http;

/// <summary>The handlers' services over an <see cref="EngineHarness"/>, wired the way the hosts' container wires them.</summary>
internal static class ApiServices
{
    public static Mem0ApiServices Create(EngineHarness harness, IEventStore events, IJobScheduler jobs, IJobPayloadStore? payloads = null)
    {
        var lifecycle = new EventLifecycle(events, harness.Time);
        return new Mem0ApiServices(
            new MemoryOperations(harness.Service, lifecycle, jobs, harness.Projects, harness.Time),
            new EventLog(events),
            new ImportService(payloads ?? new InMemoryJobPayloadStore(), jobs, lifecycle, Options.Create(new JobsOptions())),
            new ProjectService(harness.Projects, harness.Time),
            harness.Time,
            Options.Create(new AdminOptions()));
    }
}
