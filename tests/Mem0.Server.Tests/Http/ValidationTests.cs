using System.Net;
using System.Net.Http.Json;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Http;

/// <summary>Error cases that the HTTP layer decides before the engine is called.</summary>
[Collection(ServerCollection.Name)]
public sealed class ValidationTests(ServerFixture server)
{
    [Theory]
    [InlineData("/v3/memories/search/", "{\"query\":\"x\",\"user_id\":\"alice\"}", "user_id")]
    [InlineData("/v3/memories/search/", "{\"query\":\"x\",\"filters\":{\"user_id\":\"a\"},\"agent_id\":\"b\"}", "agent_id")]
    [InlineData("/v3/memories/", "{\"run_id\":\"r\",\"filters\":{\"user_id\":\"a\"}}", "run_id")]
    [InlineData("/v3/memories/search/", "{\"query\":\"x\"}", "filters")]
    [InlineData("/v3/memories/search/", "{\"query\":\"x\",\"filters\":{\"NOT\":{\"user_id\":\"a\"}}}", "filters")]
    [InlineData("/v3/memories/", "{}", "filters")]
    [InlineData("/v3/memories/search/", "{\"query\":\"  \",\"filters\":{\"user_id\":\"a\"}}", "query")]
    [InlineData("/v3/memories/search/", "{\"query\":\"x\",\"filters\":{\"user_id\":\"a\"},\"top_k\":0}", "top_k")]
    [InlineData("/v3/memories/search/", "{\"query\":\"x\",\"filters\":{\"user_id\":\"a\"},\"threshold\":2}", "threshold")]
    [InlineData("/v3/memories/?page_size=500", "{\"filters\":{\"user_id\":\"a\"}}", "page_size")]
    [InlineData("/v3/memories/?page=0", "{\"filters\":{\"user_id\":\"a\"}}", "page")]
    public async Task SearchAndList_BadInput_Return400NamingTheField(string path, string json, string field)
    {
        using var client = server.Client();

        var response = await client.PostAsync(path, RawJson(json));
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Shape.IsError(body, "error");
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.Contains(field, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "user_id")]
    [InlineData("{\"user_id\":\"alice\"}", "messages")]
    [InlineData("{\"user_id\":\"alice\",\"messages\":[]}", "messages")]
    [InlineData("{\"user_id\":\"alice\",\"messages\":\"hi\",\"custom_categories\":[\"food\"]}", "custom_categories[0]")]
    [InlineData("{\"user_id\":\"alice\",\"messages\":\"hi\",\"metadata\":\"x\"}", "metadata")]
    [InlineData("{\"user_id\":\"alice\",\"messages\":\"hi\",\"expiration_date\":\"soon\"}", "expiration_date")]
    public async Task Add_BadInput_Returns400InTheAddShape(string json, string field)
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v3/memories/add/", RawJson(json));
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("400 Bad Request", body.GetProperty("error").GetString());
        Shape.HasString(body.GetProperty("details"), "message");
        Shape.HasString(body, "detail");
        Assert.Equal(field, body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Add_StringCategory_SaysExpectedADictionary()
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v3/memories/add/",
            RawJson("{\"user_id\":\"alice\",\"messages\":\"hi\",\"custom_categories\":[\"food\"]}"));
        var body = await ReadJsonAsync(response);

        Assert.Equal("Expected a dictionary of items but got type \"str\".", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{\"query\":\"x\",")]
    [InlineData("{'query': 'x'}")]
    [InlineData("not json")]
    public async Task AnyBodyEndpoint_BadJson_Returns400NamingTheProblem(string json)
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v3/memories/search/", RawJson(json));
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Request body is not valid JSON", body.GetProperty("detail").GetString());
        Assert.Equal("body", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task AnyBodyEndpoint_JsonArrayBody_Returns400()
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v3/memories/", RawJson("[1,2]"));
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JSON object", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyBodyEndpoint_OversizedBody_Returns413WithJson()
    {
        using var client = server.Client();
        var big = "{\"query\":\"" + new string('a', 11 * 1024 * 1024) + "\",\"filters\":{\"user_id\":\"a\"}}";

        var response = await client.PostAsync("/v3/memories/search/", RawJson(big));
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Shape.IsError(body, "error");
    }

    [Fact]
    public async Task DeleteAll_NoIds_Returns400()
    {
        using var client = server.Client();

        var response = await client.DeleteAsync("/v1/memories/?source=CLI");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Shape.IsError(body, "error");
    }

    [Fact]
    public async Task EntityDelete_UnknownType_Returns400WithMessageKey()
    {
        using var client = server.Client();

        var response = await client.DeleteAsync("/v2/entities/robot/alice/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid entity type", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task EntityDeleteV1_NonNumericId_Returns400AsThePlatform()
    {
        using var client = server.Client();

        var response = await client.DeleteAsync("/v1/entities/user/alice/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid entity ID. Must be an integer.", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task BatchUpdate_MoreThan1000_Returns400WithPlatformMessage()
    {
        using var client = server.Client();
        // UUID ids: the id rule is checked per item before the engine counts them.
        var items = Enumerable.Range(0, 1001).Select(i => new { memory_id = Guid.NewGuid().ToString(), text = "t" }).ToArray();

        var response = await client.PutAsJsonAsync("/v1/batch/", new { memories = items });
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Maximum of 1000 memories can be updated in a single request", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task BatchDelete_ItemWithoutMemoryId_Returns400ReadingTheDeleteBody()
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/v1/batch/")
        {
            Content = RawJson("{\"memories\":[{\"memory_id\":\"00000000-0000-0000-0000-00000000000a\"},{\"id\":\"b\"}]}"),
        };

        var response = await client.SendAsync(request);
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("memories[1].memory_id", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Feedback_UnknownValue_Returns400()
    {
        using var client = server.Client();

        var response = await client.PostAsJsonAsync("/v1/feedback/", new { memory_id = "m", feedback = "MEH", feedback_reason = (string?)null });
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("feedback", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Returns404()
    {
        using var client = server.Client();

        var response = await client.GetAsync("/v9/nothing/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
