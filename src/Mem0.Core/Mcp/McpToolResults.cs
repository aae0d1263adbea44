using System.Text.Json;
using Mem0.Core.Http;
using ModelContextProtocol.Protocol;

namespace Mem0.Core.Mcp;

/// <summary>Tool results: a short text for the model or the person reading, and the data as structured content.</summary>
internal static class McpToolResults
{
    /// <summary>Success: <paramref name="data"/> in the HTTP API's JSON shape (snake_case) as structured content.</summary>
    public static CallToolResult Ok(string text, object data) => new()
    {
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = JsonSerializer.SerializeToElement(data, Mem0Json.Options),
    };

    /// <summary>A tool error (<c>isError: true</c>): the call was understood and refused; the session carries on.</summary>
    public static CallToolResult Error(string text, string? argument = null) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = text }],
        StructuredContent = JsonSerializer.SerializeToElement(
            argument is null
                ? new Dictionary<string, string> { ["error"] = text }
                : new Dictionary<string, string> { ["error"] = text, ["argument"] = argument },
            Mem0Json.Options),
    };
}
