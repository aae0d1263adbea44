using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mem0.Core.Http;
using Microsoft.Extensions.DependencyInjection;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Hostile;

/// <summary>Issue 13: each hostile request a client can send gets a clear 4xx naming what is wrong, never a 500.</summary>
[Collection(ServerCollection.Name)]
public sealed class InputRejectionTests(ServerFixture server)
{
    public static TheoryData<string> OutOfRangeTimestamps => ["1e20", "-1e20", "1e400", "253402300800", "99999999999999999999999", "\"1e20\""];

    [Theory]
    [MemberData(nameof(OutOfRangeTimestamps))]
    public async Task Add_TimestampOutOfRange_Returns400NamingTimestamp(string timestamp)
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v3/memories/add/",
            RawJson($"{{\"messages\":\"I like tea\",\"user_id\":\"ts\",\"infer\":false,\"timestamp\":{timestamp}}}"));

        await AssertBadRequestAsync(response, "timestamp");
    }

    [Theory]
    [MemberData(nameof(OutOfRangeTimestamps))]
    public async Task Update_TimestampOutOfRange_Returns400NamingTimestamp(string timestamp)
    {
        using var client = server.Client();
        var id = await AddOneAsync(client, "ts-update");

        var response = await client.PutAsync($"/v1/memories/{id}/", RawJson($"{{\"timestamp\":{timestamp}}}"));

        await AssertBadRequestAsync(response, "timestamp");
    }

    [Theory]
    [InlineData("/v3/memories/add/", "POST", "{\"messages\":[{\"role\":\"user\",\"content\":\"bad \\ud800 text\"}],\"user_id\":\"u\"}", "messages[0].content")]
    [InlineData("/v3/memories/add/", "POST", "{\"messages\":\"hi there friend\",\"user_id\":\"u\",\"metadata\":{\"k\\udc00\":1}}", "metadata")]
    [InlineData("/v3/memories/add/", "POST", "{\"messages\":\"hi there friend\",\"user_id\":\"u\",\"metadata\":{\"k\":\"\\ud800\"}}", "metadata.k")]
    [InlineData("/v3/memories/search/", "POST", "{\"query\":\"\\ud800\",\"filters\":{\"user_id\":\"u\"}}", "query")]
    [InlineData("/v3/memories/", "POST", "{\"filters\":{\"user_id\":\"\\udfff\"}}", "filters.user_id")]
    [InlineData("/v1/feedback/", "POST", "{\"memory_id\":\"00000000-0000-0000-0000-000000000000\",\"feedback\":\"POSITIVE\",\"feedback_reason\":\"\\ud800\"}", "feedback_reason")]
    public async Task AnyEndpoint_LoneSurrogate_Returns400NamingTheField(string path, string method, string json, string field)
    {
        using var client = server.Client();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = RawJson(json) });

        await AssertBadRequestAsync(response, field);
    }

    [Theory]
    [InlineData("/v3/memories/add/", "{\"messages\":[{\"role\":\"user\",\"content\":\"bad ", "\"}],\"user_id\":\"u\"}", "messages[0].content")]
    [InlineData("/v3/memories/search/", "{\"query\":\"", "\",\"filters\":{\"user_id\":\"u\"}}", "query")]
    [InlineData("/v1/memories/", "{\"messages\":\"x y z\",\"user_id\":\"", "\"}", "user_id")]
    public async Task AnyEndpoint_InvalidUtf8Bytes_Returns400NamingTheField(string path, string before, string after, string field)
    {
        using var client = server.Client();
        byte[] bytes = [.. Encoding.UTF8.GetBytes(before), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(after)];
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await client.PostAsync(path, content);

        await AssertBadRequestAsync(response, field);
    }

    [Fact]
    public async Task WebhookCreate_LoneSurrogateInName_Returns400NamingName()
    {
        using var client = server.Client();
        var projectId = (await ReadJsonAsync(await client.GetAsync("/v1/ping/"))).GetProperty("project_id").GetString();

        var response = await client.PostAsync($"/api/v1/webhooks/projects/{projectId}/",
            RawJson("{\"url\":\"https://example.invalid/hook\",\"name\":\"\\ud800\",\"event_types\":[\"memory_add\"]}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("name", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_FiltersDeeperThanTheReaderAllows_Returns400NamingFilters()
    {
        using var client = server.Client();
        var deep = string.Concat(Enumerable.Repeat("{\"AND\":[", 200)) + "{\"user_id\":\"u\"}" + string.Concat(Enumerable.Repeat("]}", 200));

        var response = await client.PostAsync("/v3/memories/search/", RawJson($"{{\"query\":\"x\",\"filters\":{deep}}}"));

        await AssertBadRequestAsync(response, "filters");
    }

    [Fact]
    public async Task Add_MetadataNestedTooDeep_Returns400NamingMetadata()
    {
        using var client = server.Client();
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 60)) + "1" + new string('}', 60);

        var response = await client.PostAsync("/v3/memories/add/", RawJson($"{{\"messages\":\"I like tea\",\"user_id\":\"deep\",\"metadata\":{deep}}}"));

        await AssertBadRequestAsync(response, "metadata");
    }

    [Fact]
    public async Task Add_MetadataTooLarge_Returns400NamingMetadata()
    {
        using var client = server.Client();
        var big = JsonSerializer.Serialize(new { blob = new string('x', RequestLimits.MaxMetadataBytes + 10) });

        var response = await client.PostAsync("/v3/memories/add/", RawJson($"{{\"messages\":\"I like tea\",\"user_id\":\"big\",\"metadata\":{big}}}"));

        await AssertBadRequestAsync(response, "metadata");
    }

    [Fact]
    public async Task Add_TooManyMessages_Returns400NamingTheLimitAndPointingAtImport()
    {
        using var client = server.Client();
        var messages = Enumerable.Range(0, RequestLimits.MaxMessagesPerAdd + 1).Select(i => new { role = "user", content = $"fact number {i} here" });

        var response = await client.PostAsJsonAsync("/v3/memories/add/", new { messages, user_id = "many" });
        var body = await AssertBadRequestAsync(response, "messages");

        Assert.Contains(RequestLimits.MaxMessagesPerAdd.ToString(System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("/v1/memories/import/", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_MessageTooLong_Returns400NamingTheMessage()
    {
        using var client = server.Client();
        var content = new string('a', RequestLimits.MaxMessageChars + 1);

        var response = await client.PostAsJsonAsync("/v3/memories/add/", new { messages = new[] { new { role = "user", content } }, user_id = "long" });

        await AssertBadRequestAsync(response, "messages[0].content");
    }

    [Fact]
    public async Task Add_TotalCharactersOverTheRequestLimit_Returns413NamingMessages()
    {
        using var client = server.Client();
        var perMessage = RequestLimits.MaxMessageChars;
        var count = (RequestLimits.MaxRequestChars / perMessage) + 1;
        var messages = Enumerable.Range(0, count).Select(_ => new { role = "user", content = new string('b', perMessage) });

        var response = await client.PostAsJsonAsync("/v3/memories/add/", new { messages, user_id = "total" });
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("messages", body.GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":42}],\"user_id\":\"t\"}", "messages[0].content")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[1,2]}],\"user_id\":\"t\"}", "messages[0].content[0]")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":{\"a\":1}}],\"user_id\":\"t\"}", "messages[0].content")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x.invalid/a.png\"}}]}],\"user_id\":\"t\"}", "messages[0].content[0]")]
    [InlineData("{\"messages\":[{\"role\":\"robot\",\"content\":\"hello there\"}],\"user_id\":\"t\"}", "messages[0].role")]
    [InlineData("{\"messages\":[{\"role\":7,\"content\":\"hello there\"}],\"user_id\":\"t\"}", "messages[0].role")]
    [InlineData("{\"messages\":\"hello there\",\"user_id\":\"t\",\"immutable\":\"true\"}", "immutable")]
    [InlineData("{\"messages\":\"hello there\",\"user_id\":\"t\",\"infer\":\"false\"}", "infer")]
    public async Task Add_IllTypedField_Returns400NamingIt(string json, string field)
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v3/memories/add/", RawJson(json));

        await AssertBadRequestAsync(response, field);
    }

    [Fact]
    public async Task Add_TextContentParts_AreJoined()
    {
        using var client = server.Client();

        var body = await ReadJsonAsync(await client.PostAsync("/v3/memories/add/", RawJson(
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"I like\"},{\"type\":\"text\",\"text\":\"green tea\"}]}],\"user_id\":\"parts\",\"infer\":false}")));

        Assert.Equal("I like\ngreen tea", body.GetProperty("results")[0].GetProperty("memory").GetString());
    }

    [Fact]
    public async Task Update_NumericText_Returns400NamingText()
    {
        using var client = server.Client();
        var id = await AddOneAsync(client, "num-text");

        var response = await client.PutAsync($"/v1/memories/{id}/", RawJson("{\"text\":123}"));

        await AssertBadRequestAsync(response, "text");
    }

    [Fact]
    public async Task Search_OperatorLookingMetadataKey_Returns400()
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v3/memories/search/",
            RawJson("{\"query\":\"x\",\"filters\":{\"user_id\":\"u\",\"metadata.k\":{\"regex\":\".*\"}}}"));
        var body = await AssertBadRequestAsync(response, "filters.metadata.k.regex");

        Assert.Contains("regex", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchUpdate_NonUuidId_Returns400LikeTheSingleRoutes()
    {
        using var client = server.Client();

        var response = await client.PutAsync("/v1/batch/", RawJson("{\"memories\":[{\"memory_id\":\"not-a-uuid\",\"text\":\"x\"}]}"));

        await AssertBadRequestAsync(response, "memories[0].memory_id");
    }

    [Fact]
    public async Task BatchDelete_NonUuidId_Returns400()
    {
        using var client = server.Client();

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/v1/batch/") { Content = RawJson("{\"memories\":[{\"memory_id\":\"nope\"}]}") });

        await AssertBadRequestAsync(response, "memories[0].memory_id");
    }

    [Fact]
    public async Task ExportCreate_FlatFilters_AreAccepted()
    {
        using var client = server.Client();
        await AddOneAsync(client, "flat-export");

        var response = await client.PostAsync("/v1/exports/",
            RawJson("{\"schema\":{\"type\":\"object\",\"properties\":{\"likes\":{\"type\":\"string\"}}},\"filters\":{\"user_id\":\"flat-export\"}}"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task LegacyV1Add_InferFalse_AnswersABareArrayUnlessV11()
    {
        using var client = server.Client();

        var bare = await ReadJsonAsync(await client.PostAsync("/v1/memories/", RawJson("{\"messages\":\"I like jazz\",\"user_id\":\"v1bare\",\"infer\":false}")));
        var wrapped = await ReadJsonAsync(await client.PostAsync("/v1/memories/", RawJson("{\"messages\":\"I like blues\",\"user_id\":\"v1bare\",\"infer\":false,\"output_format\":\"v1.1\"}")));

        Assert.Equal(JsonValueKind.Array, bare.ValueKind);
        Assert.Equal("I like jazz", bare[0].GetProperty("memory").GetString());
        Assert.Equal("I like blues", wrapped.GetProperty("results")[0].GetProperty("memory").GetString());
    }

    [Fact]
    public async Task Reads_DeepJsonAlreadyStored_StillAnswer()
    {
        // What an older build accepted (the reader's 64 levels), stored before the edge bounded metadata.
        var (projectId, key) = await server.CreateProjectAsync("deep-events");
        using var project = server.Client(key);
        var deep = "{\"metadata\":" + string.Concat(Enumerable.Repeat("{\"a\":", 62)) + "1" + new string('}', 62) + "}";
        using var payload = JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 64 });
        var now = DateTimeOffset.UtcNow;
        var events = server.Services.GetRequiredService<Mem0.Core.Events.IEventStore>();
        await events.CreateAsync(new Mem0.Core.Events.MemoryEvent
        {
            Id = Guid.NewGuid().ToString(), ProjectId = projectId, EventType = "ADD", Status = Mem0.Core.Events.EventStatus.Succeeded,
            Payload = payload.RootElement.Clone(), CreatedAt = now, UpdatedAt = now,
        });

        var list = await project.GetAsync("/v1/events/");
        var text = await list.Content.ReadAsStringAsync();

        Assert.True(list.StatusCode == HttpStatusCode.OK, $"{(int)list.StatusCode}: {text}");
        Assert.Equal(1, JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 }).RootElement.GetProperty("count").GetInt32());
    }

    private static async Task<string> AddOneAsync(HttpClient client, string user)
    {
        var body = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/add/", new { messages = "I like green tea a lot", user_id = user, infer = false }));
        return body.GetProperty("results")[0].GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> AssertBadRequestAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        var body = await ReadJsonAsync(response);
        Assert.Equal(field, body.GetProperty("field").GetString());
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        return body;
    }
}
