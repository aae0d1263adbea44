using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Testing.Engine;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Tests.Http;

/// <summary>
/// Scope and entity deletes through the handlers: a small scope is gone before the answer; a large one is handed to a job
/// (here one that never runs, standing for a slow backend) and is already invisible to reads.
/// </summary>
public sealed class ScopeDeleteHandlerTests
{
    private static readonly MemoryScope Thread1 = new(UserId: "alice", RunId: "thread-1");
    private static readonly MemoryScope Thread2 = new(UserId: "alice", RunId: "thread-2");

    [Fact]
    public async Task DeleteAll_SmallScope_DeletesBeforeTheAnswerWithoutAJob()
    {
        var setup = await SetUpAsync(syncDeleteLimit: 10);
        await AddAsync(setup, Thread1, "Plans a trip to Kyoto.", "Packs light.");
        var kept = await AddAsync(setup, Thread2, "Plans a trip to Oslo.");
        setup.Context.Request.QueryString = new QueryString("?user_id=alice&run_id=thread-1");

        var body = await RenderAsync(await MemoryEndpoints.DeleteAllAsync(setup.Context.Request, setup.Services), setup.Context);

        Assert.Equal("Delete in progress. This may take some time.", body.GetProperty("message").GetString());
        Assert.Empty(setup.Jobs.Scheduled);
        var memoryEvent = await setup.Events.GetAsync(EngineHarness.ProjectId, body.GetProperty("event_id").GetString()!);
        Assert.Equal(EventStatus.Succeeded, memoryEvent!.Status);
        Assert.Equal(2, memoryEvent.Results!.Value[0].GetProperty("deleted").GetInt32());
        Assert.Equal(kept, (await StoredAsync(setup)).Single().Id);
    }

    [Fact]
    public async Task DeleteAll_LargeScope_SchedulesAJobAndReadsHideTheScopeAtOnce()
    {
        var setup = await SetUpAsync(syncDeleteLimit: 1);
        var doomed = await AddAsync(setup, Thread1, "Plans a trip to Kyoto.", "Packs light.");
        var kept = await AddAsync(setup, Thread2, "Plans a trip to Oslo.");
        setup.Context.Request.QueryString = new QueryString("?user_id=alice&run_id=thread-1");

        var body = await RenderAsync(await MemoryEndpoints.DeleteAllAsync(setup.Context.Request, setup.Services), setup.Context);

        var (scheduledEvent, target) = Assert.Single(setup.Jobs.Scheduled);
        Assert.Equal(body.GetProperty("event_id").GetString(), scheduledEvent.Id);
        Assert.Equal(new DeleteTarget(UserId: "alice", RunId: "thread-1"), target);
        var stored = await setup.Events.GetAsync(EngineHarness.ProjectId, scheduledEvent.Id);
        Assert.Equal(EventStatus.Pending, stored!.Status);
        Assert.Equal("""{"user_id":"alice","run_id":"thread-1"}""", stored.Payload!.Value.GetRawText());
        Assert.Equal(3, (await StoredAsync(setup)).Count);
        var visible = await setup.Harness.Service.ListAsync(new ListMemoriesRequest { ProjectId = EngineHarness.ProjectId, Filter = FilterScopes.Entity(EntityType.User, "alice") });
        Assert.Equal([kept], visible.Items.Select(m => m.Id));
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => setup.Harness.Service.GetAsync(EngineHarness.ProjectId, doomed));
    }

    [Fact]
    public async Task EntityDelete_LargeEntity_HidesEveryScopeOfTheEntity()
    {
        var setup = await SetUpAsync(syncDeleteLimit: 1);
        await AddAsync(setup, Thread1, "Plans a trip to Kyoto.");
        await AddAsync(setup, Thread2, "Plans a trip to Oslo.");
        var bobs = await AddAsync(setup, new MemoryScope(UserId: "bob"), "Plans a trip to Lima.");

        var body = await RenderAsync(await EntityEndpoints.DeleteAsync(setup.Context.Request, "user", "alice", setup.Services), setup.Context);

        Assert.Single(setup.Jobs.Scheduled);
        Assert.Equal(setup.Jobs.Scheduled[0].Event.Id, body.GetProperty("event_id").GetString());
        var hits = await setup.Harness.Service.SearchAsync(new SearchMemoriesRequest
        {
            ProjectId = EngineHarness.ProjectId,
            Query = "trip",
            Filter = new OrFilter([FilterScopes.Entity(EntityType.User, "alice"), FilterScopes.Entity(EntityType.User, "bob")]),
            Threshold = 0,
        });
        Assert.Equal([bobs], hits.Select(h => h.Memory.Id));
    }

    private sealed record Setup(EngineHarness Harness, InMemoryEventStore Events, RecordingScheduler Jobs, Mem0ApiServices Services, DefaultHttpContext Context);

    private static async Task<Setup> SetUpAsync(int syncDeleteLimit)
    {
        var events = new InMemoryEventStore();
        var harness = new EngineHarness(
            new InMemoryMemoryStore(), options: new MemoryEngineOptions { SyncDeleteLimit = syncDeleteLimit }, pendingDeletes: new EventPendingDeletes(events));
        var jobs = new RecordingScheduler();
        var services = ApiServices.Create(harness, events, jobs);
        var context = ApiErrorsTests.NewContext();
        var project = await harness.Projects.GetProjectAsync(EngineHarness.ProjectId);
        new CallerContext(project!.OrgId, project.ProjectId, "key_1").Attach(context);
        return new Setup(harness, events, jobs, services, context);
    }

    private static async Task<string> AddAsync(Setup setup, MemoryScope scope, params string[] texts)
    {
        var result = await setup.Harness.Service.AddAsync(EngineHarness.Add(scope, texts) with { Infer = false });
        return result.Results[0].Id;
    }

    /// <summary>What the store holds, pending deletes or not.</summary>
    private static async Task<IReadOnlyList<MemoryRecord>> StoredAsync(Setup setup) =>
        (await setup.Harness.Store.ListAsync(EngineHarness.ProjectId, new MemoryListQuery { Filter = FilterNode.All, PageSize = 100, Today = new DateOnly(2025, 6, 1) })).Items;

    private static async Task<JsonElement> RenderAsync(IResult result, DefaultHttpContext context)
    {
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(200, context.Response.StatusCode);
        return document.RootElement.Clone();
    }

    /// <summary>A job backend that accepts work and never runs it: the slowest possible one.</summary>
    private sealed class RecordingScheduler : IJobScheduler
    {
        public List<(MemoryEvent Event, DeleteTarget Target)> Scheduled { get; } = [];

        public Task ScheduleAddAsync(MemoryEvent memoryEvent, AddMemoriesRequest request, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task ScheduleImportAsync(MemoryEvent memoryEvent, StagedImport import, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task ScheduleDeleteAsync(MemoryEvent memoryEvent, DeleteTarget target, CancellationToken cancellationToken = default)
        {
            Scheduled.Add((memoryEvent, target));
            return Task.CompletedTask;
        }
    }
}
