using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Mcp;

/// <summary>
/// Checks a JSON-RPC POST body before the MCP SDK reads it, for the two kinds of bad input the SDK answers with a bare
/// internal error: strings .NET cannot hold (invalid UTF-8, lone surrogate escapes such as <c>"\ud800"</c>) or nesting
/// deeper than the API allows, and a <c>tools/call</c> whose <c>arguments</c> is not an object. Either is answered
/// 400 with a JSON-RPC "invalid params" error that names the JSON path, as the HTTP API names its fields.
/// </summary>
internal static class McpBodyCheck
{
    private const int InvalidParams = -32602;

    /// <summary>The refusal to send, or null when the SDK may read the (rewound) body.</summary>
    /// <exception cref="PayloadTooLargeException">The body is longer than <paramref name="maxBytes"/>.</exception>
    public static async Task<IResult?> CheckAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new PayloadTooLargeException(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        request.Body.Position = 0;

        var utf8 = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        try
        {
            JsonBodyScanner.Validate(utf8.Span, RequestLimits.MaxBodyDepth);
        }
        catch (ValidationException ex)
        {
            return Refuse(id: null, ex.Message);
        }

        // Syntax errors are the SDK's to report (it answers 400 with a parse error); only a parsed call is looked into.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object ? CheckCall(document.RootElement) : null;
        }
    }

    private static IResult? CheckCall(JsonElement message)
    {
        if (!message.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String || method.GetString() != "tools/call"
            || !message.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("arguments", out var arguments)
            || arguments.ValueKind is JsonValueKind.Object or JsonValueKind.Null)
        {
            return null;
        }

        var id = message.TryGetProperty("id", out var requestId) ? requestId.Clone() : (JsonElement?)null;
        return Refuse(id, "'arguments' must be a JSON object of the tool's arguments.");
    }

    private static IResult Refuse(JsonElement? id, string message) =>
        Results.Json(
            new Dictionary<string, object?>
            {
                ["jsonrpc"] = "2.0",
                ["id"] = id,
                ["error"] = new Dictionary<string, object> { ["code"] = InvalidParams, ["message"] = "Invalid params: " + message },
            },
            statusCode: StatusCodes.Status400BadRequest);
}
