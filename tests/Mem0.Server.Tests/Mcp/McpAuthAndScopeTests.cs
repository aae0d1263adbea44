using System.Net;
using System.Text;
using System.Text.Json;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Mcp;

/// <summary>Who may call the tools, on which project's memories, and the connection's default scope.</summary>
[Collection(ServerCollection.Name)]
public sealed class McpAuthAndScopeTests(ServerFixture server)
{
    private const string InitializeRequest =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    private const string CallToolRequest =
        """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"delete_all_memories","arguments":{"user_id":"*"}}}""";

    private static string NewUser() => "mcp-scope-" + Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [InlineData(null)]
    [InlineData("Token m0-wrong-key")]
    [InlineData("Bearer m0-wrong-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Post_MissingOrWrongKey_Answers401JsonBeforeAnyToolRuns(string? authorization)
    {
        var user = NewUser();
        await using (var owner = await McpTestClient.ConnectAsync(server))
        {
            await owner.CallOkAsync("add_memories", new { text = "Keep me.", user_id = user, infer = false });
        }

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        foreach (var body in new[] { InitializeRequest, CallToolRequest })
        {
            using var request = McpPost(body);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            var response = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var error = await ReadJsonAsync(response);
            Assert.Contains("API key", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        // The refused delete_all never ran.
        await using var check = await McpTestClient.ConnectAsync(server);
        var listed = await check.CallOkAsync("list_memories", new { user_id = user });
        Assert.Equal(1, listed.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Connect_WrongKey_TheClientFailsToInitialize()
    {
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var client = await McpTestClient.ConnectAsync(server, apiKey: "m0-not-a-key");
        });
    }

    [Fact]
    public async Task Connect_BearerScheme_IsAcceptedLikeToken()
    {
        await using var client = await McpTestClient.ConnectAsync(server, scheme: "Bearer");

        Assert.NotEmpty(await client.ListToolsAsync());
    }

    [Fact]
    public async Task OtherProjectsKey_CannotReadSearchUpdateOrDeleteTheMemories()
    {
        var user = NewUser();
        await using var owner = await McpTestClient.ConnectAsync(server);
        var added = await owner.CallOkAsync("add_memories", new { text = "The vault code is 4711.", user_id = user, infer = false });
        var id = added.GetProperty("results")[0].GetProperty("id").GetString()!;
        var (_, otherKey) = await server.CreateProjectAsync("mcp-other-" + Guid.NewGuid().ToString("N")[..6]);
        await using var other = await McpTestClient.ConnectAsync(server, apiKey: otherKey);

        foreach (var tool in new[] { "get_memory", "get_memory_history", "delete_memory" })
        {
            var result = await other.CallAsync(tool, new { memory_id = id });
            Assert.True(result.IsError is true || tool == "get_memory_history", $"{tool} reached another project's memory");
            if (tool == "get_memory_history")
            {
                Assert.Empty(result.StructuredContent!.Value.GetProperty("results").EnumerateArray());
            }
        }

        var update = await other.CallAsync("update_memory", new { memory_id = id, text = "hacked" });
        Assert.True(update.IsError);
        var search = await other.CallOkAsync("search_memories", new { query = "vault code", user_id = user, threshold = 0 });
        Assert.Empty(search.GetProperty("results").EnumerateArray());
        var list = await other.CallOkAsync("list_memories", new { user_id = user });
        Assert.Equal(0, list.GetProperty("count").GetInt32());
        var entities = await other.CallOkAsync("list_entities", new { });
        Assert.DoesNotContain(entities.GetProperty("results").EnumerateArray(), e => e.GetProperty("name").GetString() == user);
        var addEvent = await other.CallAsync("get_event", new { event_id = added.GetProperty("event_id").GetString() });
        Assert.True(addEvent.IsError);
        await other.CallOkAsync("delete_all_memories", new { user_id = user });

        var still = await owner.CallOkAsync("get_memory", new { memory_id = id });
        Assert.Equal("The vault code is 4711.", still.GetProperty("memory").GetString());
    }

    [Fact]
    public async Task DefaultScopeFromHeader_AppliesWhenToolsNameNoId_AndArgumentsOverrideIt()
    {
        var pinned = NewUser();
        var other = NewUser();
        await using var client = await McpTestClient.ConnectAsync(server, headers: new Dictionary<string, string> { ["X-Mem0-User-Id"] = pinned });

        var added = await client.CallOkAsync("add_memories", new { text = "I prefer green tea.", infer = false });
        Assert.Equal(pinned, added.GetProperty("results")[0].GetProperty("user_id").GetString());
        await client.CallOkAsync("add_memories", new { text = "I prefer black coffee.", user_id = other, infer = false });

        var mine = await client.CallOkAsync("search_memories", new { query = "What do I like to drink?", threshold = 0 });
        Assert.Equal(["I prefer green tea."], mine.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("memory").GetString()!).ToArray());
        var theirs = await client.CallOkAsync("list_memories", new { user_id = other });
        Assert.Equal(["I prefer black coffee."], theirs.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("memory").GetString()!).ToArray());
        var byFilter = await client.CallOkAsync("list_memories", new { filters = new { user_id = other } });
        Assert.Equal(1, byFilter.GetProperty("count").GetInt32());

        await client.CallOkAsync("delete_all_memories", new { });
        await using var unpinned = await McpTestClient.ConnectAsync(server);
        Assert.Equal(0, (await unpinned.CallOkAsync("list_memories", new { user_id = pinned })).GetProperty("count").GetInt32());
        Assert.Equal(1, (await unpinned.CallOkAsync("list_memories", new { user_id = other })).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task DefaultScopeFromQuery_PinsTheAgent()
    {
        var agent = "mcp-agent-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = await McpTestClient.ConnectAsync(server, query: "?agent_id=" + agent);

        var added = await client.CallOkAsync("add_memories", new { text = "Answer in French.", infer = false });
        var id = added.GetProperty("results")[0].GetProperty("id").GetString()!;

        var got = await client.CallOkAsync("get_memory", new { memory_id = id });
        Assert.Equal(agent, got.GetProperty("agent_id").GetString());
        Assert.Equal(JsonValueKind.Null, got.GetProperty("user_id").ValueKind);
        Assert.Equal(1, (await client.CallOkAsync("list_memories", new { })).GetProperty("count").GetInt32());
    }

    private static HttpRequestMessage McpPost(string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }
}
