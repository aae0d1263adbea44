using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Mcp;

/// <summary>The MCP endpoint over real HTTP with the official C# client: handshake, tools, every tool, errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class McpEndpointTests(ServerFixture server)
{
    private static readonly string[] ToolNames =
    [
        "add_memories", "delete_all_memories", "delete_memory", "get_event", "get_memory", "get_memory_history",
        "list_entities", "list_memories", "search_memories", "update_memory",
    ];

    private static string NewUser() => "mcp-user-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Initialize_ServerInfoAndInstructions_NameTheMemoryServer()
    {
        await using var client = await McpTestClient.ConnectAsync(server);

        Assert.Equal("mem0", client.ServerInfo?.Name);
        Assert.Contains("search_memories", client.ServerInstructions ?? "", StringComparison.Ordinal);
        Assert.NotNull(client.ServerCapabilities?.Tools);
    }

    [Fact]
    public async Task ListTools_EveryTool_HasADescriptionAndAnObjectSchemaWithSnakeCaseArguments()
    {
        await using var client = await McpTestClient.ConnectAsync(server);

        var tools = await client.ListToolsAsync();

        Assert.Equal(ToolNames, tools.Select(t => t.Name).Order(StringComparer.Ordinal).ToArray());
        foreach (var tool in tools)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), tool.Name);
            var schema = tool.JsonSchema;
            Assert.Equal("object", schema.GetProperty("type").GetString());
            foreach (var property in schema.GetProperty("properties").EnumerateObject())
            {
                Assert.True(property.Name == property.Name.ToLowerInvariant(), $"{tool.Name}.{property.Name} is not snake_case");
                Assert.True(property.Value.TryGetProperty("description", out _), $"{tool.Name}.{property.Name} has no description");
            }
        }

        var search = tools.Single(t => t.Name == "search_memories").JsonSchema;
        Assert.Equal(["query"], search.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.True(search.GetProperty("properties").TryGetProperty("top_k", out _));
        Assert.True(search.GetProperty("properties").TryGetProperty("filters", out _));
        var add = tools.Single(t => t.Name == "add_memories").JsonSchema.GetProperty("properties");
        foreach (var name in new[] { "text", "messages", "user_id", "agent_id", "app_id", "run_id", "metadata", "infer" })
        {
            Assert.True(add.TryGetProperty(name, out _), "add_memories has no " + name);
        }

        Assert.True(tools.Single(t => t.Name == "delete_all_memories").ProtocolTool.Annotations?.DestructiveHint);
        Assert.True(tools.Single(t => t.Name == "search_memories").ProtocolTool.Annotations?.ReadOnlyHint);
    }

    [Fact]
    public async Task EveryTool_VerbatimAddThroughDeleteAll_WorksAndReturnsTheApiShapes()
    {
        await using var client = await McpTestClient.ConnectAsync(server);
        var user = NewUser();

        var added = await client.CallOkAsync("add_memories", new
        {
            messages = new[] { new { role = "user", content = "I live in Lisbon and I love sardines." } },
            user_id = user,
            metadata = new { source = "mcp-test" },
            infer = false,
        });
        Assert.Equal("SUCCEEDED", added.GetProperty("status").GetString());
        var memory = Assert.Single(added.GetProperty("results").EnumerateArray());
        var id = memory.GetProperty("id").GetString()!;
        Assert.Equal("ADD", memory.GetProperty("event").GetString());
        var addEventId = added.GetProperty("event_id").GetString()!;

        var second = await client.CallOkAsync("add_memories", new { text = "My cat is called Miso.", user_id = user, infer = false });
        Assert.Single(second.GetProperty("results").EnumerateArray());

        var search = await client.CallOkAsync("search_memories", new { query = "Where does the user live?", user_id = user, top_k = 5, threshold = 0 });
        var hits = search.GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(hits, h => h.GetProperty("id").GetString() == id);
        Assert.All(hits, h => Assert.Equal(user, h.GetProperty("user_id").GetString()));
        Assert.All(hits, h => Assert.True(h.TryGetProperty("score", out _)));

        var filtered = await client.CallOkAsync("search_memories", new
        {
            query = "food",
            user_id = user,
            threshold = 0,
            filters = new { metadata = new { source = "mcp-test" } },
        });
        Assert.Equal([id], filtered.GetProperty("results").EnumerateArray().Select(h => h.GetProperty("id").GetString()!).ToArray());

        var page = await client.CallOkAsync("list_memories", new { user_id = user, page_size = 1 });
        Assert.Equal(2, page.GetProperty("count").GetInt32());
        Assert.Single(page.GetProperty("results").EnumerateArray());
        var cursor = page.GetProperty("next_cursor").GetString();
        Assert.NotNull(cursor);
        var next = await client.CallOkAsync("list_memories", new { user_id = user, page_size = 1, cursor });
        Assert.Single(next.GetProperty("results").EnumerateArray());
        Assert.NotEqual(
            page.GetProperty("results")[0].GetProperty("id").GetString(),
            next.GetProperty("results")[0].GetProperty("id").GetString());

        var got = await client.CallOkAsync("get_memory", new { memory_id = id });
        Assert.Equal("I live in Lisbon and I love sardines.", got.GetProperty("memory").GetString());
        Assert.Equal("mcp-test", got.GetProperty("metadata").GetProperty("source").GetString());

        var updated = await client.CallOkAsync("update_memory", new { memory_id = id, text = "I live in Porto.", metadata = new { checked_by = "mcp" } });
        Assert.Equal("I live in Porto.", updated.GetProperty("memory").GetString());
        Assert.Equal("mcp", updated.GetProperty("metadata").GetProperty("checked_by").GetString());
        Assert.Equal("mcp-test", updated.GetProperty("metadata").GetProperty("source").GetString());

        var expiring = await client.CallOkAsync("update_memory", new { memory_id = id, expiration_date = "2999-01-31" });
        Assert.Equal("2999-01-31", expiring.GetProperty("expiration_date").GetString());
        var cleared = await client.CallOkAsync("update_memory", new { memory_id = id, expiration_date = "" });
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("expiration_date").ValueKind);

        var history = await client.CallOkAsync("get_memory_history", new { memory_id = id });
        var entries = history.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["ADD", "UPDATE", "UPDATE", "UPDATE"], entries.Select(e => e.GetProperty("event").GetString()!).ToArray());
        Assert.Equal("I live in Porto.", entries[1].GetProperty("new_memory").GetString());

        var entities = await client.CallOkAsync("list_entities", new { type = "user" });
        Assert.Contains(entities.GetProperty("results").EnumerateArray(), e => e.GetProperty("name").GetString() == user && e.GetProperty("total_memories").GetInt32() == 2);

        var addEvent = await client.CallOkAsync("get_event", new { event_id = addEventId });
        Assert.Equal("SUCCEEDED", addEvent.GetProperty("status").GetString());
        Assert.Equal("ADD", addEvent.GetProperty("event_type").GetString());

        var deleted = await client.CallOkAsync("delete_memory", new { memory_id = id });
        Assert.Equal(id, deleted.GetProperty("memory_id").GetString());
        var gone = await client.CallAsync("get_memory", new { memory_id = id });
        Assert.True(gone.IsError);
        Assert.Contains("not found", McpTestClient.Text(gone), StringComparison.OrdinalIgnoreCase);

        var all = await client.CallOkAsync("delete_all_memories", new { user_id = user });
        Assert.Equal("SUCCEEDED", all.GetProperty("status").GetString());
        var empty = await client.CallOkAsync("list_memories", new { user_id = user });
        Assert.Equal(0, empty.GetProperty("count").GetInt32());
        var deleteEvent = await client.CallOkAsync("get_event", new { event_id = all.GetProperty("event_id").GetString() });
        Assert.Equal("SUCCEEDED", deleteEvent.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AddMemories_Inferred_ReturnsPendingEventThatSucceeds()
    {
        await using var client = await McpTestClient.ConnectAsync(server);
        var user = NewUser();

        var added = await client.CallOkAsync("add_memories", new { text = "I am allergic to peanuts.", user_id = user });

        Assert.Equal("PENDING", added.GetProperty("status").GetString());
        var eventId = added.GetProperty("event_id").GetString()!;
        await server.WaitForJobAsync(eventId);
        var finished = await client.CallOkAsync("get_event", new { event_id = eventId });
        Assert.Equal("SUCCEEDED", finished.GetProperty("status").GetString());
        Assert.Equal("I am allergic to peanuts.", finished.GetProperty("payload").GetProperty("text").GetString());
        var listed = await client.CallOkAsync("list_memories", new { user_id = user });
        Assert.True(listed.GetProperty("count").GetInt32() >= 1);
    }

    [Theory]
    [InlineData("search_memories", """{"query":"x","user_id":"u","top_k":"ten"}""", "top_k")]
    [InlineData("search_memories", """{"query":"x","user_id":"u","top_k":0}""", "top_k")]
    [InlineData("search_memories", """{"query":"x","user_id":"u","threshold":2}""", "threshold")]
    [InlineData("search_memories", """{"user_id":"u"}""", "query")]
    [InlineData("search_memories", """{"query":"x"}""", "user_id")]
    [InlineData("search_memories", """{"query":"x","user_id":"u","filters":{"colour":"red"}}""", "filters")]
    [InlineData("search_memories", """{"query":"x","user_id":"u","filters":"user_id=u"}""", "filters")]
    [InlineData("search_memories", """{"query":"x","user_id":"u","limit":3}""", "limit")]
    [InlineData("list_memories", """{"user_id":"u","page_size":1000}""", "page_size")]
    [InlineData("get_memory", """{"memory_id":"not-a-uuid"}""", "memory_id")]
    [InlineData("get_memory", """{"memory_id":42}""", "memory_id")]
    [InlineData("update_memory", """{"memory_id":"7d4e2c1a-0b8f-4c3e-9a51-2f6d8e0b1c77"}""", "text")]
    [InlineData("update_memory", """{"memory_id":"7d4e2c1a-0b8f-4c3e-9a51-2f6d8e0b1c77","expiration_date":"next week"}""", "expiration_date")]
    [InlineData("add_memories", """{"user_id":"u"}""", "messages")]
    [InlineData("add_memories", """{"text":"x","user_id":"u","infer":"yes"}""", "infer")]
    [InlineData("add_memories", """{"text":"","user_id":"u","infer":false}""", "text")]
    [InlineData("add_memories", """{"text":"hello"}""", "user_id")]
    [InlineData("add_memories", """{"text":"x","user_id":"u","metadata":[1,2]}""", "metadata")]
    [InlineData("add_memories", """{"messages":[{"role":"user"}],"user_id":"u"}""", "messages")]
    [InlineData("add_memories", """{"messages":[{"role":"robot","content":"beep"}],"user_id":"u","infer":false}""", "messages[0].role")]
    [InlineData("add_memories", """{"text":"x","messages":[{"role":"user","content":"y"}],"user_id":"u"}""", "text")]
    [InlineData("delete_all_memories", """{}""", "user_id")]
    [InlineData("list_entities", """{"type":"planet"}""", "type")]
    [InlineData("get_event", """{"event_id":" "}""", "event_id")]
    public async Task CallTool_BadArgument_IsAToolErrorNamingTheArgument(string tool, string arguments, string argument)
    {
        await using var client = await McpTestClient.ConnectAsync(server);

        var result = await client.CallToolAsync(
            tool, JsonDocument.Parse(arguments).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()));

        Assert.True(result.IsError, $"{tool} {arguments} succeeded: {McpTestClient.Text(result)}");
        Assert.Contains($"'{argument}", McpTestClient.Text(result), StringComparison.Ordinal);

        // The session survives a refused call.
        Assert.NotEmpty(await client.ListToolsAsync());
    }

    [Fact]
    public async Task CallTool_TooManyMessages_IsRefusedWithTheApiLimit()
    {
        await using var client = await McpTestClient.ConnectAsync(server);
        var messages = Enumerable.Range(0, Mem0.Core.Http.RequestLimits.MaxMessagesPerAdd + 1).Select(i => new { role = "user", content = "m" + i }).ToArray();

        var result = await client.CallAsync("add_memories", new { messages, user_id = NewUser(), infer = false });

        Assert.True(result.IsError);
        Assert.Contains("'messages'", McpTestClient.Text(result), StringComparison.Ordinal);
        Assert.Contains(Mem0.Core.Http.RequestLimits.MaxMessagesPerAdd.ToString(System.Globalization.CultureInfo.InvariantCulture), McpTestClient.Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_OnAStatelessEndpoint_Answers405WithAllowPost()
    {
        using var http = server.Client();

        var response = await http.GetAsync("/mcp");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
        Assert.Contains("stateless", (await ReadJsonAsync(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BodyOverTheApiLimit_Answers413BeforeTheSdkParsesIt()
    {
        using var http = server.Client();
        using var content = new StringContent(new string(' ', (int)Mem0.Core.Http.JsonBody.DefaultMaxBytes + 1), Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True((await ReadJsonAsync(response)).TryGetProperty("detail", out _));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"add_memories","arguments":{"text":"\ud800","user_id":"u","infer":false}}}""", "params.arguments.text")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"search_memories","arguments":"query=x"}}""", "'arguments'")]
    [InlineData("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"search_memories","arguments":[1]}}""", "'arguments'")]
    public async Task Post_ArgumentsNoToolCanRead_Answers400InvalidParamsNamingThem(string body, string named)
    {
        using var http = server.Client();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await ReadJsonAsync(response)).GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains(named, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
