using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Http;

/// <summary>The memory endpoints end to end: success shapes the official clients read, over real HTTP and SQLite.</summary>
[Collection(ServerCollection.Name)]
public sealed class MemoryApiTests(ServerFixture server)
{
    [Fact]
    public async Task AddInferFalse_ReturnsSucceededShapeSynchronously()
    {
        using var client = server.Client();
        var user = NewUser();

        var response = await client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = new[] { new { role = "user", content = "I love badminton" } },
            user_id = user,
            infer = false,
            metadata = new { Source = "test", nested = new { CamelKey = 1 } },
            source = "CLI",
            output_format = "v1.1",
        });
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("SUCCEEDED", body.GetProperty("status").GetString());
        Shape.HasString(body, "event_id");
        Shape.HasString(body, "message");
        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        Shape.HasString(result, "id");
        Assert.Equal("ADD", result.GetProperty("event").GetString());
        Assert.Equal("I love badminton", result.GetProperty("data").GetProperty("memory").GetString());
        Shape.IsSnakeCase(body);
    }

    [Fact]
    public async Task Add_Inferring_ReturnsPendingAndTheEventEndsSucceededWithResults()
    {
        using var client = server.Client();
        var user = NewUser();

        var response = await client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = new[] { new { role = "user", content = "My name is Ana and I live in Lisbon." } },
            user_id = user,
        });
        var body = await ReadJsonAsync(response);
        var eventId = body.GetProperty("event_id").GetString()!;
        await server.WaitForJobAsync(eventId);
        var memoryEvent = await ReadJsonAsync(await client.GetAsync($"/v1/event/{eventId}/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PENDING", body.GetProperty("status").GetString());
        Assert.Equal(2, body.EnumerateObject().Count());
        Assert.Equal("SUCCEEDED", memoryEvent.GetProperty("status").GetString());
        Assert.Equal("ADD", memoryEvent.GetProperty("event_type").GetString());
        var first = memoryEvent.GetProperty("results")[0];
        Shape.HasString(first, "id");
        Assert.Equal("ADD", first.GetProperty("event").GetString());
        Assert.Equal(user, first.GetProperty("user_id").GetString());
        Shape.HasString(first.GetProperty("data"), "memory");
        Shape.HasKind(memoryEvent, "latency", JsonValueKind.Number);
    }

    [Fact]
    public async Task Add_IdsOnlyInsideFilters_AreAcceptedAsFallback()
    {
        using var client = server.Client();
        var user = NewUser();

        var response = await client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = "I drink green tea",
            filters = new { user_id = user },
            infer = false,
        });
        var list = await ListAsync(client, user);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, list.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Search_ReturnsResultsWithScoreAndRunId()
    {
        using var client = server.Client();
        var user = NewUser();
        await AddVerbatimAsync(client, user, "I love badminton", "I work as a nurse");

        var response = await client.PostAsJsonAsync("/v3/memories/search/", new
        {
            query = "I love badminton",
            filters = new { AND = new object[] { new { user_id = user } } },
            threshold = 0.0,
            output_format = "v1.1",
        });
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = body.GetProperty("results");
        Assert.Equal(2, results.GetArrayLength());
        var top = results[0];
        Assert.Equal("I love badminton", top.GetProperty("memory").GetString());
        Shape.HasString(top, "id");
        Shape.HasString(top, "created_at");
        Shape.HasKind(top, "score", JsonValueKind.Number);
        Assert.InRange(top.GetProperty("score").GetDouble(), 0, 1);
        Shape.HasKind(top, "run_id", JsonValueKind.Null, JsonValueKind.String);
        Assert.Equal(user, top.GetProperty("user_id").GetString());
        Shape.IsSnakeCase(body);
    }

    [Fact]
    public async Task Search_Fields_RestrictsReturnedKeys()
    {
        using var client = server.Client();
        var user = NewUser();
        await AddVerbatimAsync(client, user, "I love badminton");

        var body = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/search/", new
        {
            query = "badminton",
            filters = new { user_id = user },
            threshold = 0.0,
            fields = new[] { "memory" },
        }));

        var keys = body.GetProperty("results")[0].EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["id", "memory"], keys);
    }

    [Fact]
    public async Task List_UnknownUser_ReturnsEmptyEnvelope()
    {
        using var client = server.Client();

        var body = await ListAsync(client, NewUser());

        Shape.IsEnvelope(body);
        Assert.Equal(0, body.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("next").ValueKind);
        Assert.Empty(body.GetProperty("results").EnumerateArray());
    }

    [Fact]
    public async Task List_Paginated_NextCarriesCursorAndBarePageNumbersWalk()
    {
        using var client = server.Client();
        var user = NewUser();
        await AddVerbatimAsync(client, user, "fact one", "fact two", "fact three", "fact four", "fact five");

        var first = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/?page=1&page_size=2", new { filters = new { user_id = user } }));
        var nextUrl = first.GetProperty("next").GetString()!;
        var second = await ReadJsonAsync(await client.PostAsJsonAsync(nextUrl, new { filters = new { user_id = user } }));
        var secondByNumber = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/?page=2", new { filters = new { user_id = user }, page_size = 2 }));
        var third = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/?page=3&page_size=2", new { filters = new { user_id = user } }));
        var beyond = await client.PostAsJsonAsync("/v3/memories/?page=9&page_size=2", new { filters = new { user_id = user } });

        Assert.Equal(5, first.GetProperty("count").GetInt32());
        Assert.Contains("cursor=", nextUrl, StringComparison.Ordinal);
        Assert.Contains("page=2", nextUrl, StringComparison.Ordinal);
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/'), nextUrl);
        Assert.Equal(Ids(second), Ids(secondByNumber));
        Assert.Empty(Ids(first).Intersect(Ids(second)));
        Assert.Single(third.GetProperty("results").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, third.GetProperty("next").ValueKind);
        Shape.HasString(third, "previous");
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
    }

    [Fact]
    public async Task GetUpdateDelete_OneMemory_RoundTripsWithPlatformShapes()
    {
        using var client = server.Client();
        var user = NewUser();
        var id = (await AddVerbatimAsync(client, user, "I live in Porto"))[0];

        var got = await ReadJsonAsync(await client.GetAsync($"/v1/memories/{id}/?source=CLI"));
        var updated = await ReadJsonAsync(await client.PutAsJsonAsync($"/v1/memories/{id}/", new
        {
            text = "I live in Lisbon",
            metadata = new { moved = true },
            source = "CLI",
        }));
        var history = await ReadJsonAsync(await client.GetAsync($"/v1/memories/{id}/history/"));
        var deleted = await ReadJsonAsync(await client.DeleteAsync($"/v1/memories/{id}/?delete_linked=true"));
        var afterDelete = await client.GetAsync($"/v1/memories/{id}/");

        foreach (var key in new[] { "id", "memory", "user_id", "created_at", "updated_at" })
        {
            Shape.HasString(got, key);
        }

        foreach (var key in new[] { "agent_id", "app_id", "session_id", "run_id", "expiration_date", "metadata", "structured_attributes", "replaced_by" })
        {
            Assert.True(got.TryGetProperty(key, out _), $"missing {key}");
        }

        Shape.HasKind(got, "categories", JsonValueKind.Array);
        Assert.Equal("I live in Lisbon", updated.GetProperty("memory").GetString());
        Assert.True(updated.GetProperty("metadata").GetProperty("moved").GetBoolean());
        Assert.Equal(JsonValueKind.Array, history.ValueKind);
        Assert.Equal(["ADD", "UPDATE"], history.EnumerateArray().Select(h => h.GetProperty("event").GetString()!).ToArray());
        var change = history[1];
        Assert.Equal("I live in Porto", change.GetProperty("old_memory").GetString());
        Assert.Equal("I live in Lisbon", change.GetProperty("new_memory").GetString());
        foreach (var key in new[] { "id", "memory_id", "user_id", "created_at", "updated_at" })
        {
            Shape.HasString(change, key);
        }

        Shape.HasKind(change, "input", JsonValueKind.Array);
        Assert.Equal("Memory deleted successfully!", deleted.GetProperty("message").GetString());
        Assert.Equal(0, deleted.GetProperty("cascade_count").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Shape.IsError(await ReadJsonAsync(afterDelete), "error");
    }

    [Fact]
    public async Task Update_NullExpirationDate_ClearsIt()
    {
        using var client = server.Client();
        var user = NewUser();
        var added = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = "temporary fact",
            user_id = user,
            infer = false,
            expiration_date = "2999-01-01",
        }));
        var id = added.GetProperty("results")[0].GetProperty("id").GetString();
        var before = await ReadJsonAsync(await client.GetAsync($"/v1/memories/{id}/"));

        var after = await ReadJsonAsync(await client.PutAsync($"/v1/memories/{id}/", RawJson("{\"expiration_date\": null}")));

        Assert.Equal("2999-01-01", before.GetProperty("expiration_date").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("expiration_date").ValueKind);
    }

    [Fact]
    public async Task Get_UnknownUuid_Returns404MemoryNotFound()
    {
        using var client = server.Client();

        var response = await client.GetAsync($"/v1/memories/{Guid.NewGuid()}/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Shape.IsError(body, "error");
        Assert.Equal("Memory not found!", body.GetProperty("error").GetString());
    }

    // Regression (found by tests/sdk-compat): the platform answers 400 "memory_id should be a valid UUID" for ids
    // that are not UUIDs, which the official SDKs raise as ValidationError; we answered 404 (MemoryNotFoundError).
    // The encoded slash also proves the segment reaches the handler instead of failing in routing (that would be
    // a bodiless 404).
    [Theory]
    [InlineData("GET", "a%2Fb")]
    [InlineData("GET", "not-a-memory")]
    [InlineData("PUT", "not-a-memory")]
    [InlineData("DELETE", "not-a-memory")]
    [InlineData("GET", "not-a-memory", "history/")]
    public async Task MemoryEndpoints_IdNotAUuid_Return400NamingTheId(string method, string rawId, string suffix = "")
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/v1/memories/{rawId}/{suffix}");
        if (method == "PUT")
        {
            request.Content = RawJson("{\"text\": \"x\"}");
        }

        var response = await client.SendAsync(request);
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Shape.IsError(body, "error");
        Assert.Equal("memory_id should be a valid UUID", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task DeleteAll_ByUser_DeletesOnlyThatUsersMemories()
    {
        using var client = server.Client();
        var user = NewUser();
        var other = NewUser();
        await AddVerbatimAsync(client, user, "a", "b");
        await AddVerbatimAsync(client, other, "c");

        var response = await client.DeleteAsync($"/v1/memories/?user_id={user}&source=CLI");
        var body = await ReadJsonAsync(response);
        await server.WaitForJobAsync(body.GetProperty("event_id").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Shape.HasString(body, "message");
        Shape.HasString(body, "event_id");
        Assert.Equal(0, (await ListAsync(client, user)).GetProperty("count").GetInt32());
        Assert.Equal(1, (await ListAsync(client, other)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task DeleteAllByUserAndRun_NextReadsNoLongerSeeIt_AndTheEventIsAlreadyDone()
    {
        using var client = server.Client();
        var user = NewUser();
        var ids = await AddVerbatimAsync(client, user, "plans a trip to Kyoto");
        await client.PostAsJsonAsync("/v3/memories/add/", new { messages = new[] { new { role = "user", content = "plans a trip to Oslo" } }, user_id = user, run_id = "thread-2", infer = false });
        using (var threadAdd = RawJson($$"""{"messages":[{"role":"user","content":"plans a trip to Lima"}],"user_id":"{{user}}","run_id":"thread-1","infer":false}"""))
        {
            await client.PostAsync("/v3/memories/add/", threadAdd);
        }

        var response = await client.DeleteAsync($"/v1/memories/?user_id={user}&run_id=thread-1");
        var body = await ReadJsonAsync(response);
        var search = await client.PostAsJsonAsync("/v1/memories/search/", new { query = "trip to Lima", user_id = user, run_id = "thread-1" });
        var searchBody = await ReadJsonAsync(search);
        var userSearch = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/search/", new { query = "trip", filters = new { user_id = user }, threshold = 0.0 }));
        var status = await ReadJsonAsync(await client.GetAsync($"/v1/event/{body.GetProperty("event_id").GetString()}/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Delete in progress. This may take some time.", body.GetProperty("message").GetString());
        Assert.Equal(0, searchBody.GetArrayLength());
        Assert.Equal(2, userSearch.GetProperty("results").GetArrayLength());
        Assert.Contains(ids[0], userSearch.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal("SUCCEEDED", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Entities_ListedIdIsNumeric_DeprecatedDeleteByThatIdRemovesOnlyThatEntity()
    {
        var (_, key) = await server.CreateProjectAsync("entity-ids");
        using var client = server.Client(key);
        await AddVerbatimAsync(client, "team/bob", "likes coffee");
        await AddVerbatimAsync(client, "carol", "likes tea");

        var list = await ReadJsonAsync(await client.GetAsync("/v1/entities/"));
        var ids = list.GetProperty("results").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("id").GetString()!);
        var delete = await client.DeleteAsync($"/v1/entities/user/{ids["team/bob"]}/");
        var deleteBody = await ReadJsonAsync(delete);
        var after = await ReadJsonAsync(await client.GetAsync("/v1/entities/"));

        Assert.All(ids.Values, id => Assert.True(long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0, id));
        Assert.NotEqual(ids["team/bob"], ids["carol"]);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(1, deleteBody.GetProperty("deleted").GetInt32());
        var remaining = Assert.Single(after.GetProperty("results").EnumerateArray());
        Assert.Equal(("carol", ids["carol"]), (remaining.GetProperty("name").GetString(), remaining.GetProperty("id").GetString()));
        Assert.Equal(0, (await ListAsync(client, "team/bob")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Entities_ListAndDeleteByEncodedName()
    {
        var (_, key) = await server.CreateProjectAsync("entities");
        using var client = server.Client(key);
        await AddVerbatimAsync(client, "team/alice", "likes tea");
        using (var agentAdd = RawJson("{\"messages\":\"be brief\",\"agent_id\":\"helper\",\"infer\":false}"))
        {
            await client.PostAsync("/v3/memories/add/", agentAdd);
        }

        var list = await ReadJsonAsync(await client.GetAsync("/v1/entities/"));
        var delete = await client.DeleteAsync("/v2/entities/user/team%2Falice/?source=CLI");
        var deleteBody = await ReadJsonAsync(delete);
        await server.WaitForJobAsync(deleteBody.GetProperty("event_id").GetString()!);
        var after = await ReadJsonAsync(await client.GetAsync("/v1/entities/"));

        Shape.IsEnvelope(list);
        Assert.Equal(2, list.GetProperty("count").GetInt32());
        Assert.Equal(1, list.GetProperty("total_users").GetInt32());
        Assert.Equal(1, list.GetProperty("total_agents").GetInt32());
        Assert.Equal(0, list.GetProperty("total_apps").GetInt32());
        Assert.Equal(0, list.GetProperty("total_runs").GetInt32());
        var alice = list.GetProperty("results").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "user");
        Assert.Equal("team/alice", alice.GetProperty("name").GetString());
        Assert.Equal(1, alice.GetProperty("total_memories").GetInt32());
        Shape.IsSnakeCase(list);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Shape.HasString(deleteBody, "event_id");
        Assert.Equal(0, after.GetProperty("total_users").GetInt32());
        Assert.Equal(1, after.GetProperty("total_agents").GetInt32());
    }

    [Fact]
    public async Task Batch_UpdateThenDeleteWithJsonBody()
    {
        using var client = server.Client();
        var user = NewUser();
        var ids = await AddVerbatimAsync(client, user, "one", "two");

        var update = await ReadJsonAsync(await client.PutAsJsonAsync("/v1/batch/", new
        {
            memories = ids.Select(id => new { memory_id = id, text = "changed " + id }).ToArray(),
        }));
        var changed = await ReadJsonAsync(await client.GetAsync($"/v1/memories/{ids[0]}/"));
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/v1/batch/")
        {
            Content = JsonContent.Create(new { memories = ids.Select(id => new { memory_id = id }).ToArray() }),
        };
        var delete = await ReadJsonAsync(await client.SendAsync(request));

        Assert.Equal("Successfully updated 2 memories", update.GetProperty("message").GetString());
        Assert.Equal("changed " + ids[0], changed.GetProperty("memory").GetString());
        Assert.Equal("Successfully deleted 2 memories", delete.GetProperty("message").GetString());
        Assert.Equal(0, (await ListAsync(client, user)).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Feedback_ExistingMemory_EchoesIt()
    {
        using var client = server.Client();
        var id = (await AddVerbatimAsync(client, NewUser(), "fact"))[0];

        var body = await ReadJsonAsync(await client.PostAsJsonAsync("/v1/feedback/", new { memory_id = id, feedback = "positive", feedback_reason = (string?)null }));

        Shape.HasString(body, "id");
        Assert.Equal("POSITIVE", body.GetProperty("feedback").GetString());
    }

    internal static string NewUser() => "user-" + Guid.NewGuid().ToString("N")[..8];

    internal static async Task<string[]> AddVerbatimAsync(HttpClient client, string user, params string[] facts)
    {
        var ids = new List<string>();
        foreach (var fact in facts)
        {
            var response = await client.PostAsJsonAsync("/v3/memories/add/", new { messages = fact, user_id = user, infer = false });
            var body = await ReadJsonAsync(response);
            Assert.True(response.IsSuccessStatusCode, body.ToString());
            ids.Add(body.GetProperty("results")[0].GetProperty("id").GetString()!);
        }

        return [.. ids];
    }

    internal static async Task<JsonElement> ListAsync(HttpClient client, string user) =>
        await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/", new { filters = new { user_id = user } }));

    private static string[] Ids(JsonElement page) =>
        [.. page.GetProperty("results").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
}
