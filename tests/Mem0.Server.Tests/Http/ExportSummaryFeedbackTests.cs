using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Mem0.Server.Tests.Http.MemoryApiTests;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Http;

/// <summary>Exports, summary and feedback over real HTTP on the server's default set-up (no language model).</summary>
[Collection(ServerCollection.Name)]
public sealed class ExportSummaryFeedbackTests(ServerFixture server)
{
    private static readonly object Schema = new
    {
        type = "object",
        properties = new { full_name = new { type = "string" }, city = new { type = "string" } },
    };

    private async Task<HttpClient> ProjectClientAsync()
    {
        // A project of its own: export and feedback events must not show up in other tests' event lists.
        var (_, key) = await server.CreateProjectAsync("exports-" + Guid.NewGuid().ToString("N")[..6]);
        return server.Client(key);
    }

    // A dictionary, not an anonymous type: PostAsJsonAsync camel-cases property names ("AND" would become "aND").
    private static Dictionary<string, object> StructuredFilters(string user) => new() { ["AND"] = new object[] { new { user_id = user } } };

    [Fact]
    public async Task CreateExport_NoLlm_Returns201AndGetByIdReturnsTheMemoriesWithANote()
    {
        using var client = await ProjectClientAsync();
        var user = NewUser();
        await AddVerbatimAsync(client, user, "My name is Ana Lima", "I live in Lisbon");

        var created = await client.PostAsJsonAsync("/v1/exports/", new { schema = Schema, filters = StructuredFilters(user) });
        var createdBody = await ReadJsonAsync(created);
        var id = createdBody.GetProperty("id").GetString()!;
        var fetched = await client.PostAsJsonAsync("/v1/exports/get/", new { memory_export_id = id });
        var export = await ReadJsonAsync(fetched);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Memory export request received. The export will be ready in a few seconds.", createdBody.GetProperty("message").GetString());
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var texts = export.GetProperty("memories").EnumerateArray().Select(m => m.GetString()).ToHashSet();
        Assert.Equal(["My name is Ana Lima", "I live in Lisbon"], texts);
        Assert.Equal("no LLM configured: schema filling needs a language model", export.GetProperty("_note").GetString());
    }

    [Fact]
    public async Task GetExport_ByFiltersFlatOrStructured_ReturnsTheNewestExportOfThoseFilters()
    {
        using var client = await ProjectClientAsync();
        var user = NewUser();
        var other = NewUser();
        await AddVerbatimAsync(client, user, "first fact");
        await client.PostAsJsonAsync("/v1/exports/", new { schema = Schema, filters = StructuredFilters(user) });
        await AddVerbatimAsync(client, user, "second fact");
        await AddVerbatimAsync(client, other, "someone else");
        await client.PostAsJsonAsync("/v1/exports/", new { schema = Schema, filters = StructuredFilters(user) });
        await client.PostAsJsonAsync("/v1/exports/", new { schema = Schema, filters = StructuredFilters(other) });

        var structured = await ReadJsonAsync(await client.PostAsJsonAsync("/v1/exports/get/", new { filters = StructuredFilters(user) }));
        var flat = await ReadJsonAsync(await client.PostAsJsonAsync("/v1/exports/get/", new { filters = new { user_id = user } }));

        Assert.Equal(2, structured.GetProperty("memories").GetArrayLength());
        Assert.Equal(structured.ToString(), flat.ToString());
    }

    [Fact]
    public async Task CreateExport_SchemaAsJsonString_IsAccepted()
    {
        using var client = await ProjectClientAsync();
        var user = NewUser();
        await AddVerbatimAsync(client, user, "likes tea");

        var response = await client.PostAsJsonAsync("/v1/exports/", new { schema = JsonSerializer.Serialize(Schema), filters = StructuredFilters(user) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"filters\": {\"AND\": [{\"user_id\": \"u\"}]}}")]
    [InlineData("{\"schema\": \"not json\", \"filters\": {\"AND\": [{\"user_id\": \"u\"}]}}")]
    [InlineData("{\"schema\": [1, 2], \"filters\": {\"AND\": [{\"user_id\": \"u\"}]}}")]
    public async Task CreateExport_NoUsableSchema_Returns400UnderMessage(string json)
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v1/exports/", RawJson(json));
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Shape.IsError(body, "message");
        Assert.Equal("Schema is required and must be a valid object", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"schema\": {\"type\": \"object\"}}")]
    [InlineData("{\"schema\": {\"type\": \"object\"}, \"filters\": {}}")]
    [InlineData("{\"schema\": {\"type\": \"object\"}, \"filters\": {\"AND\": [{\"categories\": {\"in\": [\"food\"]}}]}}")]
    public async Task CreateExport_NoEntityScope_Returns400NamingTheScopeFilters(string json)
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v1/exports/", RawJson(json));
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("One of the filters: app_id, user_id, agent_id, run_id, memory_export_id is required!", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GetExport_UnknownIdOrOtherProjectsExport_Returns404()
    {
        using var owner = await ProjectClientAsync();
        using var stranger = await ProjectClientAsync();
        var user = NewUser();
        await AddVerbatimAsync(owner, user, "private fact");
        var created = await ReadJsonAsync(await owner.PostAsJsonAsync("/v1/exports/", new { schema = Schema, filters = StructuredFilters(user) }));
        var id = created.GetProperty("id").GetString();

        var unknown = await owner.PostAsJsonAsync("/v1/exports/get/", new { memory_export_id = Guid.NewGuid().ToString() });
        var foreign = await stranger.PostAsJsonAsync("/v1/exports/get/", new { memory_export_id = id });
        var foreignByFilters = await stranger.PostAsJsonAsync("/v1/exports/get/", new { filters = StructuredFilters(user) });
        var body = await ReadJsonAsync(foreign);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreignByFilters.StatusCode);
        Assert.Equal("No memory export request found", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GetExport_NeitherIdNorFilters_Returns400()
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v1/exports/get/", RawJson("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CreateExport_IsRecordedAsAnExportEvent()
    {
        using var client = await ProjectClientAsync();
        var user = NewUser();
        await AddVerbatimAsync(client, user, "likes tea");
        var created = await ReadJsonAsync(await client.PostAsJsonAsync("/v1/exports/", new { schema = Schema, filters = StructuredFilters(user) }));

        var memoryEvent = await ReadJsonAsync(await client.GetAsync($"/v1/event/{created.GetProperty("id").GetString()}/"));

        Assert.Equal("EXPORT", memoryEvent.GetProperty("event_type").GetString());
        Assert.Equal("SUCCEEDED", memoryEvent.GetProperty("status").GetString());
        Shape.HasKind(memoryEvent, "results", JsonValueKind.Array);
    }

    [Fact]
    public async Task Summary_NoLlm_ReturnsAnArrayOfCategoryGroupsWithANote()
    {
        using var client = await ProjectClientAsync();
        var user = NewUser();
        await AddVerbatimAsync(client, user, "I like tea", "I live in Porto");

        var response = await client.PostAsJsonAsync("/v1/summary/", new { filters = new { user_id = user } });
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        Assert.NotEmpty(body.EnumerateArray());
        var texts = body.EnumerateArray().SelectMany(g => g.GetProperty("memories").EnumerateArray().Select(m => m.GetString())).ToHashSet();
        Assert.Equal(["I like tea", "I live in Porto"], texts);
        Assert.All(body.EnumerateArray(), group =>
        {
            Shape.HasString(group, "category");
            Shape.HasString(group, "note");
            Assert.Equal(group.GetProperty("memories").GetArrayLength(), group.GetProperty("memory_count").GetInt32());
        });
    }

    [Fact]
    public async Task Summary_StructuredFiltersWithNoMatch_ReturnsEmptyArray()
    {
        using var client = server.Client();

        var response = await client.PostAsJsonAsync("/v1/summary/", new { filters = StructuredFilters(NewUser()) });
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, body.GetArrayLength());
    }

    [Fact]
    public async Task Summary_NoScope_Returns400()
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v1/summary/", RawJson("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Feedback_Valid_IsStoredAsAFeedbackEventOfTheCallersProject()
    {
        using var client = await ProjectClientAsync();
        using var stranger = await ProjectClientAsync();
        var memoryId = (await AddVerbatimAsync(client, NewUser(), "likes tea"))[0];

        var response = await client.PostAsJsonAsync("/v1/feedback/", new { memory_id = memoryId, feedback = "negative", feedback_reason = "outdated" });
        var body = await ReadJsonAsync(response);
        var id = body.GetProperty("id").GetString();
        var stored = await ReadJsonAsync(await client.GetAsync($"/v1/event/{id}/"));
        var foreign = await stranger.GetAsync($"/v1/event/{id}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("NEGATIVE", body.GetProperty("feedback").GetString());
        Assert.Equal("FEEDBACK", stored.GetProperty("event_type").GetString());
        var result = stored.GetProperty("results")[0];
        Assert.Equal(memoryId, result.GetProperty("id").GetString());
        Assert.Equal("NEGATIVE", result.GetProperty("feedback").GetString());
        Assert.Equal("outdated", result.GetProperty("feedback_reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}
