using System.Net;
using System.Text.Json;
using static Mem0.Server.Tests.Http.MemoryApiTests;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Http;

/// <summary>
/// Path segments are percent-decoded exactly once over real HTTP. Kestrel decodes everything but <c>%2F</c> before
/// routing, so decoding the route value again would turn <c>a%252Fb</c> (the name <c>a%2Fb</c>) into <c>a/b</c>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PercentDecodingTests(ServerFixture server)
{
    [Theory]
    [InlineData("a%252Fb", "a%2Fb")]
    [InlineData("a%2Fb", "a/b")]
    [InlineData("a%2fb", "a/b")]
    [InlineData("100%25", "100%")]
    [InlineData("x%2541", "x%41")]
    [InlineData("caf%C3%A9", "café")]
    public async Task DeleteEntity_EncodedName_DeletesExactlyTheEntityDecodedOnce(string sentAs, string name)
    {
        var (_, key) = await server.CreateProjectAsync("decoding");
        using var client = server.Client(key);
        string[] names = ["a%2Fb", "a/b", "100%", "x%41", "xA", "café"];
        foreach (var user in names)
        {
            await AddVerbatimAsync(client, user, "fact of " + user);
        }

        var response = await client.DeleteAsync($"/v2/entities/user/{sentAs}/");
        await server.WaitForJobAsync((await ReadJsonAsync(response)).GetProperty("event_id").GetString()!);
        var remaining = await UserNamesAsync(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(names.Where(n => n != name).Order(StringComparer.Ordinal), remaining.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetMemory_EncodedUuidSegment_IsDecodedOnce()
    {
        using var client = server.Client();
        var id = (await AddVerbatimAsync(client, NewUser(), "encoded id"))[0];
        var encoded = string.Concat(id.Select(c => c == '-' ? "%2D" : c.ToString()));

        var response = await client.GetAsync($"/v1/memories/{encoded}/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, body.GetProperty("id").GetString());
    }

    private static async Task<List<string>> UserNamesAsync(HttpClient client)
    {
        var list = await ReadJsonAsync(await client.GetAsync("/v1/entities/?page_size=100"));
        return [.. list.GetProperty("results").EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "user")
            .Select(e => e.GetProperty("name").GetString()!)];
    }
}
