using System.Text;
using System.Text.Json;
using Mem0.Azure.Cosmos;
using Mem0.Core.Http;
using Mem0.Core.Mcp;
using Mem0.Core.Projects;
using Mem0.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Mem0.Functions.Tests.Http;

/// <summary>
/// The <c>/mcp</c> trigger invoked the way the worker's ASP.NET Core integration invokes it: an HttpContext in, the
/// returned result rendered into that context. Every request stands alone (stateless), as on scaled-out instances.
/// </summary>
public sealed class McpFunctionsTests : IAsyncLifetime
{
    private FunctionsTestHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await FunctionsTestHost.StartAsync(services =>
        {
            // The worker's generic host provides the application lifetime the SDK's HTTP transport needs.
            services.AddSingleton<IHostApplicationLifetime, ApplicationLifetime>();
            services.AddMem0Mcp();
        });

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Mcp_InitializeWithoutSession_AnswersWithoutMintingASessionId()
    {
        var (status, context, message) = await PostAsync(
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");

        Assert.Equal(200, status);
        Assert.Equal("mem0", message.GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        Assert.False(context.Response.Headers.ContainsKey("Mcp-Session-Id"));
    }

    [Fact]
    public async Task Mcp_AddThenSearch_InSeparateStatelessRequests_FindsTheMemory()
    {
        var (_, _, added) = await CallToolAsync("add_memories", """{"text":"I collect vinyl records.","user_id":"fn-user","infer":false}""");
        var id = added.GetProperty("result").GetProperty("structuredContent").GetProperty("results")[0].GetProperty("id").GetString();

        var (status, _, found) = await CallToolAsync("search_memories", """{"query":"What does the user collect?","user_id":"fn-user","threshold":0}""");

        Assert.Equal(200, status);
        var result = found.GetProperty("result");
        Assert.False(result.TryGetProperty("isError", out var isError) && isError.GetBoolean(), result.GetRawText());
        Assert.Contains(result.GetProperty("structuredContent").GetProperty("results").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Mcp_BadArgument_IsAToolErrorNamingIt()
    {
        var (status, _, message) = await CallToolAsync("get_memory", """{"memory_id":"nope"}""");

        Assert.Equal(200, status);
        Assert.True(message.GetProperty("result").GetProperty("isError").GetBoolean());
        Assert.Equal("memory_id", message.GetProperty("result").GetProperty("structuredContent").GetProperty("argument").GetString());
    }

    [Fact]
    public async Task Mcp_NoKey_Answers401JsonAndRunsNoTool()
    {
        var (status, context, _) = await PostAsync(ToolCall("add_memories", """{"text":"Should not be stored.","user_id":"fn-anon","infer":false}"""), authorized: false);

        Assert.Equal(401, status);
        Assert.Contains("API key", ReadBody(context), StringComparison.Ordinal);
        var stored = await _host.Services.GetRequiredService<Mem0.Core.Memories.MemoryService>().CountAsync(FunctionsTestHost.ProjectId, Mem0.Core.Filters.FilterScopes.ForScope(new Mem0.Core.Memories.MemoryScope("fn-anon")));
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task Mcp_Get_Answers405AllowingPost()
    {
        var context = _host.Request("GET", "/mcp");

        await Invoke(context);

        Assert.Equal(405, context.Response.StatusCode);
        Assert.Equal("POST", context.Response.Headers.Allow.ToString());
    }

    [Fact]
    public async Task Middleware_StoreNotReady_GatesMcpLikeTheApi()
    {
        var readiness = new CosmosReadiness(TimeProvider.System);
        readiness.ReportNotReady("missing container", DateTimeOffset.UtcNow.AddSeconds(5));
        var middleware = new Mem0HttpMiddleware(_host.Services.GetRequiredService<ApiKeyAuthenticator>(), readiness);

        var result = await middleware.NotReadyAsync(McpFunctions.FunctionName, _host.Request("POST", "/mcp"));

        Assert.NotNull(result);
    }

    [Fact]
    public void RealFunctionsGraph_McpEndpoint_BuildsTheSdksPostHandler()
    {
        using var host = ProgramWiringTests.BuildHost(ProgramWiringTests.ValidSettings());

        var endpoint = host.Services.GetRequiredService<McpEndpoint>();

        Assert.Equal(["POST"], endpoint.HandledMethods);
    }

    private static string ToolCall(string tool, string arguments) =>
        $$$"""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{arguments}}}}}""";

    private Task<(int Status, HttpContext Context, JsonElement Message)> CallToolAsync(string tool, string arguments) =>
        PostAsync(ToolCall(tool, arguments));

    private async Task<(int Status, HttpContext Context, JsonElement Message)> PostAsync(string json, bool authorized = true)
    {
        var context = _host.Request("POST", "/mcp", json, authorized);
        context.Request.Headers.Accept = "application/json, text/event-stream";
        await Invoke(context);
        var body = ReadBody(context);
        var data = body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]).FirstOrDefault();
        var message = data is null ? default : JsonDocument.Parse(data).RootElement.Clone();
        return (context.Response.StatusCode, context, message);
    }

    private async Task Invoke(HttpContext context)
    {
        // Each invocation gets its own scope, as the worker gives each function invocation.
        using var scope = _host.Services.CreateScope();
        context.RequestServices = scope.ServiceProvider;
        var function = new McpFunctions(_host.Services.GetRequiredService<McpEndpoint>());
        await function.Mcp(context.Request).ExecuteAsync(context);
    }

    private static string ReadBody(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return new StreamReader(context.Response.Body, Encoding.UTF8).ReadToEnd();
    }
}
