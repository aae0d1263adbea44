using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Mem0.Server.Tests.Mcp;

/// <summary>Connects the official C# MCP client to the server's /mcp over Streamable HTTP.</summary>
internal static class McpTestClient
{
    public static Task<McpClient> ConnectAsync(
        ServerFixture server, string? apiKey = null, string scheme = "Token", IDictionary<string, string>? headers = null, string query = "")
    {
        var allHeaders = new Dictionary<string, string>(headers ?? new Dictionary<string, string>())
        {
            ["Authorization"] = $"{scheme} {apiKey ?? server.ApiKey}",
        };
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.BaseAddress, "/mcp" + query),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = allHeaders,
        });
        return McpClient.CreateAsync(transport);
    }

    public static async Task<CallToolResult> CallAsync(this McpClient client, string tool, object arguments)
    {
        var json = JsonSerializer.SerializeToElement(arguments);
        var dictionary = json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        return await client.CallToolAsync(tool, dictionary);
    }

    /// <summary>The structured content of a successful call (fails the test with the tool's text otherwise).</summary>
    public static async Task<JsonElement> CallOkAsync(this McpClient client, string tool, object arguments)
    {
        var result = await client.CallAsync(tool, arguments);
        Assert.True(result.IsError is not true, $"{tool} failed: {Text(result)}");
        Assert.NotNull(result.StructuredContent);
        Assert.False(string.IsNullOrWhiteSpace(Text(result)));
        return result.StructuredContent!.Value;
    }

    public static string Text(CallToolResult result) =>
        string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));
}
