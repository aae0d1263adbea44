using System.Text.Json;
using Mem0.Core.Events;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Testing.Engine;
using Mem0.Testing.Jobs;
using Mem0.Testing.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Tests.Http;

/// <summary>Handlers called directly with a DefaultHttpContext, the way the Functions triggers call them.</summary>
public sealed class HandlerInvocationTests
{
    [Fact]
    public async Task Ping_WithAttachedCaller_ReturnsItsIds()
    {
        var (services, context) = await SetUpAsync();

        var result = await PingEndpoints.PingAsync(context.Request, services);
        var body = await RenderAsync(result, context);

        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(EngineHarness.ProjectId, body.GetProperty("project_id").GetString());
    }

    [Fact]
    public async Task GetMemory_UnknownUuid_Reports404WithErrorBody()
    {
        var (services, context) = await SetUpAsync();

        var result = await MemoryEndpoints.GetAsync(context.Request, Guid.NewGuid().ToString(), services);
        var body = await RenderAsync(result, context);

        Assert.Equal(404, context.Response.StatusCode);
        Assert.Equal("Memory not found!", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UpdateMemory_OnlyTimestamp_Returns200WithTheNewUpdatedAt()
    {
        var (services, context) = await SetUpAsync();
        var added = await services.Memories.AddAsync(
            EngineHarness.ProjectId,
            new AddMemoriesRequest { Messages = [new InputMessage("user", "I like green tea.")], Scope = new MemoryScope(UserId: "alice"), Infer = false });
        context.Request.Body = new MemoryStream("""{"timestamp": 1704164645}"""u8.ToArray());

        var result = await MemoryEndpoints.UpdateAsync(context.Request, added.Results[0].Id, services);
        var body = await RenderAsync(result, context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.StartsWith("2024-01-02T03:04:05", body.GetProperty("updated_at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateMemory_NothingToChange_Returns400NamingText()
    {
        var (services, context) = await SetUpAsync();
        context.Request.Body = new MemoryStream("""{"unrelated": 1}"""u8.ToArray());

        var result = await MemoryEndpoints.UpdateAsync(context.Request, Guid.NewGuid().ToString(), services);
        var body = await RenderAsync(result, context);

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("text", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Handler_WithoutCaller_Returns500NotAnUnscopedRead()
    {
        var (services, _) = await SetUpAsync();
        var context = ApiErrorsTests.NewContext();

        var result = await PingEndpoints.PingAsync(context.Request, services);
        await RenderAsync(result, context);

        Assert.Equal(500, context.Response.StatusCode);
    }

    private static async Task<(Mem0ApiServices Services, DefaultHttpContext Context)> SetUpAsync()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());
        var events = new InMemoryEventStore();
        var services = ApiServices.Create(harness, events, NewInlineScheduler(harness, events));
        var context = ApiErrorsTests.NewContext();
        var project = await harness.Projects.GetProjectAsync(EngineHarness.ProjectId);
        new CallerContext(project!.OrgId, project.ProjectId, "key_1").Attach(context);
        return (services, context);
    }

    private static async Task<JsonElement> RenderAsync(IResult result, DefaultHttpContext context)
    {
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return document.RootElement.Clone();
    }

    private static InlineJobScheduler NewInlineScheduler(EngineHarness harness, InMemoryEventStore events) =>
        new(
            harness.Service,
            new EventLifecycle(events, harness.Time),
            new JobActivities(harness.Service, events, new EventLifecycle(events, harness.Time), new InMemoryJobPayloadStore(), NullLogger<JobActivities>.Instance),
            Options.Create(new JobsOptions()),
            NullLogger<InlineJobScheduler>.Instance);
}
