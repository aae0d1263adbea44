using System.Text.Json;
using Mem0.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>
/// A parsed JSON request body with typed, field-named accessors. Unknown fields are simply never read,
/// so clients that send extra keys (<c>source</c>, <c>output_format</c>, ...) are never rejected.
/// </summary>
public sealed class JsonBody
{
    /// <summary>Default limit for request bodies (bulk endpoints pass a larger one).</summary>
    public const long DefaultMaxBytes = 10 * 1024 * 1024;

    private JsonBody(JsonElement root)
    {
        Root = root;
    }

    public static JsonBody Empty { get; } = new(JsonDocument.Parse("{}").RootElement.Clone());

    public JsonElement Root { get; }

    /// <summary>Reads the body as a JSON object. An empty body is an empty object; bad JSON is a 400 naming the problem.</summary>
    public static async Task<JsonBody> ReadAsync(HttpRequest request, long maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is { } declared && declared > maxBytes)
        {
            throw new PayloadTooLargeException(maxBytes);
        }

        var buffer = await ReadCappedAsync(request.Body, maxBytes, request.HttpContext.RequestAborted);
        if (buffer.Length == 0 || IsWhitespace(buffer))
        {
            return Empty;
        }

        // One linear pass before parsing: strings a .NET string cannot hold and nesting past the limit are 400s
        // naming the field here, instead of failing later wherever a handler happens to read that value.
        JsonBodyScanner.Validate(buffer, RequestLimits.MaxBodyDepth);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer, new JsonDocumentOptions { MaxDepth = RequestLimits.MaxBodyDepth + 1 });
        }
        catch (JsonException ex)
        {
            throw new ValidationException("body", $"Request body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ValidationException("body", $"Request body must be a JSON object, not {WireValues.Describe(document.RootElement.ValueKind)}.");
            }

            return new JsonBody(document.RootElement.Clone());
        }
    }

    public static JsonBody FromElement(JsonElement element) => new(element);

    public bool Has(string name) => Root.TryGetProperty(name, out _);

    /// <summary>True when the property is present and not null.</summary>
    public bool HasValue(string name) => Root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement? Get(string name) =>
        Root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>Deserializes the body into a typed request record whose fields carry <see cref="WireAttribute"/> converters.</summary>
    public T Bind<T>()
        where T : new() =>
        Root.Deserialize<T>(WireAttribute.Options) ?? new T();

    private static bool IsWhitespace(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<byte[]> ReadCappedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new PayloadTooLargeException(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
