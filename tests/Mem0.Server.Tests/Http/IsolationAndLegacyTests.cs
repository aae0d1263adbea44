using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Core.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static Mem0.Server.Tests.Http.MemoryApiTests;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Http;

[Collection(ServerCollection.Name)]
public sealed class IsolationAndLegacyTests(ServerFixture server)
{
    [Fact]
    public async Task OtherProjectsKey_CannotSeeOrChangeMemoriesHistoryOrEntities()
    {
        var (_, keyA) = await server.CreateProjectAsync("iso-a");
        var (_, keyB) = await server.CreateProjectAsync("iso-b");
        using var a = server.Client(keyA);
        using var b = server.Client(keyB);
        var id = (await AddVerbatimAsync(a, "shared-name", "secret of A"))[0];

        var get = await b.GetAsync($"/v1/memories/{id}/");
        var update = await b.PutAsJsonAsync($"/v1/memories/{id}/", new { text = "hijacked" });
        var delete = await b.DeleteAsync($"/v1/memories/{id}/");
        var history = await ReadJsonAsync(await b.GetAsync($"/v1/memories/{id}/history/"));
        var list = await ListAsync(b, "shared-name");
        var search = await ReadJsonAsync(await b.PostAsJsonAsync("/v3/memories/search/", new { query = "secret", filters = new { user_id = "shared-name" }, threshold = 0.0 }));
        var entities = await ReadJsonAsync(await b.GetAsync("/v1/entities/"));
        var deleteAll = await ReadJsonAsync(await b.DeleteAsync("/v1/memories/?user_id=*"));
        var deleteEntity = await ReadJsonAsync(await b.DeleteAsync("/v2/entities/user/shared-name/"));
        await server.WaitForJobAsync(deleteAll.GetProperty("event_id").GetString()!);
        await server.WaitForJobAsync(deleteEntity.GetProperty("event_id").GetString()!);
        var stillThere = await ReadJsonAsync(await a.GetAsync($"/v1/memories/{id}/"));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Empty(history.EnumerateArray());
        Assert.Equal(0, list.GetProperty("count").GetInt32());
        Assert.Empty(search.GetProperty("results").EnumerateArray());
        Assert.Equal(0, entities.GetProperty("count").GetInt32());
        Assert.Equal("secret of A", stillThere.GetProperty("memory").GetString());
    }

    [Fact]
    public async Task LegacyV1Add_AsyncDefault_ReturnsBareQueuedArray()
    {
        using var client = server.Client();

        var body = await ReadJsonAsync(await client.PostAsJsonAsync("/v1/memories/", new
        {
            messages = new[] { new { role = "user", content = "I like jazz" } },
            user_id = NewUser(),
            org_id = "ignored",
            version = "v2",
        }));

        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        Assert.Equal("PENDING", body[0].GetProperty("status").GetString());
        Shape.HasString(body[0], "event_id");
        Shape.HasString(body[0], "message");
    }

    [Fact]
    public async Task LegacyV1Add_OutputV11_WrapsInResults()
    {
        using var client = server.Client();

        var body = await ReadJsonAsync(await client.PostAsJsonAsync("/v1/memories/", new { messages = "I like jazz", user_id = NewUser(), output_format = "v1.1" }));

        Assert.Equal("PENDING", body.GetProperty("results")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task LegacyV1Add_AsyncModeFalse_ReturnsResults()
    {
        using var client = server.Client();

        // A bare array unless output_format is v1.1 (the platform's OpenAPI for the v1 add; mem0ai 2.x maps over it).
        var body = await ReadJsonAsync(await client.PostAsJsonAsync("/v1/memories/", new { messages = "I like jazz", user_id = NewUser(), async_mode = false, infer = false }));

        var item = body[0];
        Assert.Equal("ADD", item.GetProperty("event").GetString());
        Assert.Equal("I like jazz", item.GetProperty("memory").GetString());
    }

    [Fact]
    public async Task LegacySearchAndList_AcceptTopLevelIdsAndAnswerBareArrays()
    {
        using var client = server.Client();
        var user = NewUser();
        await AddVerbatimAsync(client, user, "I like jazz", "I play piano");

        var v2Search = await ReadJsonAsync(await client.PostAsJsonAsync("/v2/memories/search/", new { query = "jazz", filters = new { user_id = user }, threshold = 0.0, version = "v2" }));
        var v1Search = await ReadJsonAsync(await client.PostAsJsonAsync("/v1/memories/search/", new { query = "jazz", user_id = user, threshold = 0.0 }));
        var v1SearchWrapped = await ReadJsonAsync(await client.PostAsJsonAsync("/v1/memories/search/", new { query = "jazz", user_id = user, threshold = 0.0, output_format = "v1.1" }));
        var v2List = await ReadJsonAsync(await client.PostAsJsonAsync("/v2/memories/", new { filters = new { user_id = user } }));
        var v2ListPaged = await ReadJsonAsync(await client.PostAsJsonAsync("/v2/memories/?page=1&page_size=1", new { filters = new { user_id = user } }));
        var v1List = await ReadJsonAsync(await client.GetAsync($"/v1/memories/?user_id={user}"));
        var v1ListPaged = await ReadJsonAsync(await client.GetAsync($"/v1/memories/?user_id={user}&page=1&page_size=1"));

        Assert.Equal(2, v2Search.GetArrayLength());
        Assert.Equal(2, v1Search.GetArrayLength());
        Assert.Equal(2, v1SearchWrapped.GetProperty("results").GetArrayLength());
        Assert.Equal(2, v2List.GetArrayLength());
        Shape.IsEnvelope(v2ListPaged);
        Assert.Equal(2, v1List.GetArrayLength());
        Shape.IsEnvelope(v1ListPaged);
        Assert.Equal(2, v1ListPaged.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task LegacySearch_NoScopeAnywhere_Returns400()
    {
        using var client = server.Client();

        var response = await client.PostAsJsonAsync("/v2/memories/search/", new { query = "jazz" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public void RouteTable_EveryRouteEndsWithSlashAndIsMappedOnce()
    {
        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (e.RoutePattern.RawText, Methods: string.Join(',', e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods)))
            .ToList();

        Assert.All(Mem0Routes.All, r => Assert.EndsWith("/", r.Template, StringComparison.Ordinal));
        Assert.Equal(Mem0Routes.All.Count, Mem0Routes.All.Select(r => r.Name).Distinct().Count());
        Assert.Equal(Mem0Routes.All.Count, Mem0Routes.All.Select(r => (r.Method, r.Template)).Distinct().Count());
        foreach (var route in Mem0Routes.All)
        {
            Assert.Contains((route.Template, route.Method), mapped);
        }
    }

    [Theory]
    [InlineData("GET", "/v1/ping/")]
    [InlineData("POST", "/v3/memories/add/")]
    [InlineData("POST", "/v3/memories/search/")]
    [InlineData("POST", "/v3/memories/")]
    [InlineData("GET", "/v1/memories/{memoryId}/")]
    [InlineData("PUT", "/v1/memories/{memoryId}/")]
    [InlineData("DELETE", "/v1/memories/{memoryId}/")]
    [InlineData("DELETE", "/v1/memories/")]
    [InlineData("GET", "/v1/memories/{memoryId}/history/")]
    [InlineData("GET", "/v1/entities/")]
    [InlineData("DELETE", "/v2/entities/{entityType}/{entityName}/")]
    [InlineData("DELETE", "/v1/entities/{entityType}/{entityId}/")]
    [InlineData("PUT", "/v1/batch/")]
    [InlineData("DELETE", "/v1/batch/")]
    [InlineData("GET", "/v1/events/")]
    [InlineData("GET", "/v1/event/{eventId}/")]
    [InlineData("POST", "/v1/memories/")]
    [InlineData("POST", "/v2/memories/search/")]
    [InlineData("POST", "/v2/memories/")]
    [InlineData("POST", "/v1/memories/search/")]
    [InlineData("GET", "/v1/memories/")]
    public void RouteTable_ContainsEveryMustPathOfTheContract(string method, string template)
    {
        Assert.Contains(Mem0Routes.All, r => r.Method == method && r.Template == template);
    }
}
