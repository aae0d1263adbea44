using System.Net;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Http;

/// <summary>The <c>runtime</c> field of <c>GET /v1/ping/</c> (our addition, shown on the dashboard's Project page).</summary>
[Collection(ServerCollection.Name)]
public sealed class PingRuntimeTests(ServerFixture server)
{
    [Fact]
    public async Task Ping_ReportsExtractorAndEmbedder_WithoutEndpointsOrKeys()
    {
        using var client = server.Client();
        var response = await client.GetAsync("/v1/ping/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var runtime = body.GetProperty("runtime");
        Assert.Equal("heuristic", runtime.GetProperty("extractor").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, runtime.GetProperty("chat_model").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(runtime.GetProperty("embedder").GetString()));
        Shape.IsSnakeCase(body);
        var text = runtime.GetRawText();
        Assert.DoesNotContain("http", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(server.ApiKey, text, StringComparison.Ordinal);
    }
}
