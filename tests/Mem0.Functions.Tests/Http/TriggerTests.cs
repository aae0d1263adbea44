using Microsoft.DurableTask.Client;
using Mem0.Core.Http;
using Mem0.Functions.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Functions.Tests.Http;

public sealed class TriggerTests : IAsyncLifetime
{
    private FunctionsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await FunctionsTestHost.StartAsync();

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private Mem0HttpMiddleware Middleware => new(_host.Services.GetRequiredService<ApiKeyAuthenticator>());

    /// <summary>What the worker does for an HTTP invocation: the middleware authenticates, then the trigger runs.</summary>
    private async Task<(int Status, System.Text.Json.JsonElement Body)> InvokeAsync(
        string functionName, Microsoft.AspNetCore.Http.HttpContext context, Func<Microsoft.AspNetCore.Http.HttpRequest, Task<Microsoft.AspNetCore.Http.IResult>> trigger)
    {
        var rejection = await Middleware.AuthenticateAsync(functionName, context);
        return await FunctionsTestHost.RenderAsync(context, rejection ?? await trigger(context.Request));
    }

    [Fact]
    public async Task Ping_ValidKey_ReturnsOkWithProject()
    {
        var functions = new PingFunctions(_host.Api);
        var context = _host.Request("GET", "/v1/ping/");

        var (status, body) = await InvokeAsync(nameof(PingFunctions.Ping), context, functions.Ping);

        Assert.Equal(200, status);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(FunctionsTestHost.ProjectId, body.GetProperty("project_id").GetString());
    }

    [Fact]
    public async Task Ping_NoKey_Returns401FromMiddleware()
    {
        var functions = new PingFunctions(_host.Api);
        var context = _host.Request("GET", "/v1/ping/", authorized: false);

        var (status, body) = await InvokeAsync(nameof(PingFunctions.Ping), context, functions.Ping);

        Assert.Equal(401, status);
        Assert.Contains("Invalid API key", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_AdminRoute_DoesNotRequireApiKey()
    {
        var context = _host.Request("GET", "/v1/admin/projects/", authorized: false);

        Assert.Null(await Middleware.AuthenticateAsync(nameof(AdminFunctions.AdminListProjects), context));
    }

    [Fact]
    public async Task AuthenticateAsync_NonApiFunction_PassesThrough()
    {
        var context = _host.Request("POST", "/anything", authorized: false);

        Assert.Null(await Middleware.AuthenticateAsync("DeliverWebhook", context));
    }

    [Fact]
    public async Task AddThenGet_VerbatimMemory_RoundTripsThroughTriggers()
    {
        var memories = new MemoryFunctions(_host.Api);
        var add = _host.Request("POST", "/v3/memories/add/", """{"messages":[{"role":"user","content":"I like green tea"}],"user_id":"alice","infer":false}""");

        var (addStatus, added) = await InvokeAsync(nameof(MemoryFunctions.AddMemories), add, r => memories.AddMemories(r, new Moq.Mock<DurableTaskClient>("test").Object));

        Assert.Equal(200, addStatus);
        var id = added.GetProperty("results").EnumerateArray().First().GetProperty("id").GetString()!;
        var get = _host.Request("GET", $"/v1/memories/{id}/");
        var (getStatus, memory) = await InvokeAsync(nameof(MemoryFunctions.GetMemory), get, r => memories.GetMemory(r, id));
        Assert.Equal(200, getStatus);
        Assert.Equal("I like green tea", memory.GetProperty("memory").GetString());
        Assert.Equal("alice", memory.GetProperty("user_id").GetString());
    }

    [Fact]
    public async Task GetMemory_Unknown_Returns404WithErrorBody()
    {
        var memories = new MemoryFunctions(_host.Api);
        // A well-formed id that does not exist (a non-UUID id is a 400, as on the platform).
        var unknownId = Guid.NewGuid().ToString();
        var context = _host.Request("GET", $"/v1/memories/{unknownId}/");

        var (status, body) = await InvokeAsync(nameof(MemoryFunctions.GetMemory), context, r => memories.GetMemory(r, unknownId));

        Assert.Equal(404, status);
        Assert.True(body.TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task SearchMemories_BadFilterOperator_Returns400()
    {
        var memories = new MemoryFunctions(_host.Api);
        var context = _host.Request("POST", "/v3/memories/search/", """{"query":"tea","filters":{"user_id":{"zz":"alice"}}}""");

        var (status, _) = await InvokeAsync(nameof(MemoryFunctions.SearchMemories), context, memories.SearchMemories);

        Assert.Equal(400, status);
    }
}
