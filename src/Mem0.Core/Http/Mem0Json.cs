using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mem0.Core.Http;

/// <summary>The JSON conventions of the Mem0 wire: snake_case property names, dictionary keys and metadata left verbatim.</summary>
public static class Mem0Json
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>ISO-8601 UTC with a <c>Z</c> suffix, as the platform emits (fraction only when non-zero).</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string? FormatTimestamp(DateTimeOffset? value) => value is { } v ? FormatTimestamp(v) : null;

    public static string? FormatDate(DateOnly? value) =>
        value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            WriteIndented = false,
            // The API only ever answers application/json, so HTML-sensitive characters need no escaping.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,

            // Responses embed caller JSON (metadata, event payloads) inside envelopes; stored data from older builds may
            // be up to 64 levels deep on its own, so the writer allows far more than the edge now accepts.
            MaxDepth = 256,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
