using System.Globalization;
using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mem0.Core.Http;

/// <summary>Reading the pieces of Mem0 requests that several endpoints share.</summary>
internal static class RequestParsing
{
    public static readonly string[] ScopeFields = ["user_id", "agent_id", "app_id", "run_id"];

    /// <summary>
    /// A path parameter, percent-decoded exactly once. Kestrel has already decoded every escape in the path except
    /// <c>%2F</c> (so a segment is never split), which makes its route value ambiguous: <c>a%2Fb</c> there may have been
    /// sent as <c>a%2Fb</c> (meaning <c>a/b</c>) or as <c>a%252Fb</c> (meaning <c>a%2Fb</c>). So the value is decoded
    /// from the segment of the raw request target it came from; the route value only says which segment that is.
    /// Without a raw target (a host that does not report one) only <c>%2F</c> is decoded, since the rest already was.
    /// </summary>
    public static string DecodeSegment(HttpRequest request, string routeValue, string field)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(routeValue);
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var value = RawSegmentFor(rawTarget, routeValue) is { } raw ? Uri.UnescapeDataString(raw) : DecodeEncodedSlashes(routeValue);
        return string.IsNullOrWhiteSpace(value) ? throw new ValidationException(field, $"'{field}' must not be empty.") : value;
    }

    /// <summary>
    /// For a route value already decoded by the host except for <c>%2F</c> (Kestrel's rule): decodes the remaining
    /// <c>%2F</c>. Prefer <see cref="DecodeSegment(HttpRequest, string, string)"/>, which also gets <c>%252F</c> right.
    /// </summary>
    public static string DecodeSegment(string routeValue, string field)
    {
        ArgumentNullException.ThrowIfNull(routeValue);
        var value = DecodeEncodedSlashes(routeValue);
        return string.IsNullOrWhiteSpace(value) ? throw new ValidationException(field, $"'{field}' must not be empty.") : value;
    }

    /// <summary>
    /// The raw (still percent-encoded) path segment of <paramref name="rawTarget"/> that produced
    /// <paramref name="routeValue"/>, or null when none can be identified. A segment matches when the route value is
    /// what Kestrel makes of it (everything but <c>%2F</c> decoded), else when it is the segment verbatim or fully
    /// decoded (hosts that pass route values on with other decoding rules, such as the Functions host).
    /// </summary>
    internal static string? RawSegmentFor(string? rawTarget, string routeValue)
    {
        if (string.IsNullOrEmpty(rawTarget))
        {
            return null;
        }

        var path = rawTarget;
        var end = path.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            path = path[..end];
        }

        if (!path.StartsWith('/'))
        {
            // Absolute-form target (http://host/path): keep the path only.
            var scheme = path.IndexOf("://", StringComparison.Ordinal);
            var slash = scheme < 0 ? -1 : path.IndexOf('/', scheme + 3);
            if (slash < 0)
            {
                return null;
            }

            path = path[slash..];
        }

        var segments = path.Split('/');

        // Route parameters sit towards the end of our templates, so the last match is the likeliest one.
        return segments.LastOrDefault(s => DecodeExceptSlashes(s) == routeValue)
            ?? segments.LastOrDefault(s => s == routeValue)
            ?? segments.LastOrDefault(s => Uri.UnescapeDataString(s) == routeValue);
    }

    /// <summary>Decodes every escape except <c>%2F</c>/<c>%2f</c>, which stays as sent: what Kestrel does to a path.</summary>
    internal static string DecodeExceptSlashes(string raw)
    {
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            return raw;
        }

        var result = new System.Text.StringBuilder(raw.Length);
        var start = 0;
        for (var i = 0; i + 2 < raw.Length; i++)
        {
            if (raw[i] == '%' && raw[i + 1] == '2' && (raw[i + 2] is 'F' or 'f'))
            {
                result.Append(Uri.UnescapeDataString(raw[start..i])).Append(raw, i, 3);
                start = i + 3;
                i += 2;
            }
        }

        return result.Append(Uri.UnescapeDataString(raw[start..])).ToString();
    }

    private static string DecodeEncodedSlashes(string value) =>
        value.Contains('%', StringComparison.Ordinal)
            ? value.Replace("%2F", "/", StringComparison.Ordinal).Replace("%2f", "/", StringComparison.Ordinal)
            : value;

    /// <summary>
    /// <c>messages</c>: a string (one user message), one message object or a list of them. Only the shape is read here;
    /// the limits (count, characters, at least one with content) are <see cref="MemoryRules.CheckMessages"/>'.
    /// </summary>
    public static IReadOnlyList<InputMessage> ParseMessages(JsonBody body)
    {
        var messages = body.Get("messages")
            ?? throw new ValidationException("messages", "'messages' is required.");
        var result = new List<InputMessage>();
        switch (messages.ValueKind)
        {
            case JsonValueKind.String:
                result.Add(new InputMessage("user", messages.GetString()!));
                break;
            case JsonValueKind.Object:
                result.Add(ParseMessage(messages, "messages"));
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in messages.EnumerateArray())
                {
                    var field = $"messages[{index++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        throw new ValidationException(field, $"'{field}' must be an object with 'role' and 'content'.");
                    }

                    result.Add(ParseMessage(item, field));
                }

                break;
            default:
                throw new ValidationException("messages", "'messages' must be a string, a message object or a list of messages.");
        }

        return result;
    }

    /// <summary><c>metadata</c>: a JSON object (or null/absent); its limits are <see cref="MemoryRules.CheckMetadata"/>'.</summary>
    public static JsonElement? ParseMetadata(JsonBody body, string field = "metadata") => body.GetObject(field);

    /// <summary>A field that must be a JSON string when present (no coercion from numbers or booleans).</summary>
    public static string? StrictString(JsonBody body, string field)
    {
        var value = body.Get(field);
        if (value is not { } element)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw new ValidationException(field, $"'{field}' must be a string, not {JsonBody.Describe(element.ValueKind)}.");
    }

    /// <summary>A field that must be a JSON boolean when present: <c>"true"</c> as a string is refused, not guessed at.</summary>
    public static bool? StrictBool(JsonBody body, string field)
    {
        var value = body.Get(field);
        return value?.ValueKind switch
        {
            null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ValidationException(field, $"'{field}' must be true or false, not {JsonBody.Describe(value.Value.ValueKind)}."),
        };
    }

    /// <summary>Top-level scope ids (add, legacy endpoints); with <paramref name="fallbackToFilters"/> also <c>filters.user_id</c> etc.</summary>
    public static MemoryScope ParseScope(JsonBody body, bool fallbackToFilters)
    {
        string? Read(string name)
        {
            var value = body.GetString(name);
            if (value is null && fallbackToFilters && body.Get("filters") is { ValueKind: JsonValueKind.Object } filters
                && filters.TryGetProperty(name, out var nested) && nested.ValueKind == JsonValueKind.String)
            {
                value = nested.GetString();
            }

            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        return new MemoryScope(Read("user_id"), Read("agent_id"), Read("app_id"), Read("run_id"));
    }

    /// <summary>Search and list take ids only inside <c>filters</c>, as the platform does.</summary>
    public static void RejectTopLevelIds(JsonBody body)
    {
        foreach (var field in ScopeFields)
        {
            if (body.HasValue(field))
            {
                throw new ValidationException(field, $"'{field}' must be given inside 'filters' (e.g. {{\"filters\": {{\"{field}\": \"...\"}}}}), not at the top level.");
            }
        }
    }

    /// <summary>Wire <c>custom_categories</c>: a list of single-key objects <c>[{"name": "description"}]</c> (or one object).</summary>
    public static IReadOnlyList<CustomCategory>? ParseCustomCategories(JsonElement? value, string field = "custom_categories")
    {
        if (value is not { } element)
        {
            return null;
        }

        var categories = new List<CustomCategory>();
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                AddAll(element, categories, field);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        var type = item.ValueKind == JsonValueKind.String ? "str" : JsonBody.Describe(item.ValueKind);
                        throw new ValidationException($"{field}[{index}]", $"Expected a dictionary of items but got type \"{type}\".");
                    }

                    AddAll(item, categories, $"{field}[{index}]");
                    index++;
                }

                break;
            default:
                throw new ValidationException(field, $"'{field}' must be a list of {{\"name\": \"description\"}} objects.");
        }

        return categories;

        static void AddAll(JsonElement obj, List<CustomCategory> into, string path)
        {
            foreach (var property in obj.EnumerateObject())
            {
                var description = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Null => "",
                    _ => throw new ValidationException($"{path}.{property.Name}", "A category description must be a string."),
                };
                into.Add(new CustomCategory(property.Name, description));
            }
        }
    }

    /// <summary><c>YYYY-MM-DD</c> (or a full timestamp, whose date is taken).</summary>
    public static DateOnly? ParseDate(JsonBody body, string field)
    {
        var text = body.GetString(field);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            return DateOnly.FromDateTime(timestamp.UtcDateTime);
        }

        throw new ValidationException(field, $"'{field}' must be a date in YYYY-MM-DD format.");
    }

    /// <summary>Unix epoch seconds (int or float) or an ISO-8601 string.</summary>
    public static DateTimeOffset? ParseTimestamp(JsonBody body, string field)
    {
        var value = body.Get(field);
        if (value is not { } element)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number)
        {
            return element.TryGetDouble(out var seconds) ? FromEpochSeconds(seconds, field) : throw OutOfRange(field);
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return FromEpochSeconds(seconds, field);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return parsed;
            }
        }

        throw new ValidationException(field, $"'{field}' must be Unix epoch seconds or an ISO-8601 timestamp.");
    }

    /// <summary>Seconds since 1970 as a time, for years 1 to 9999 (what a timestamp can hold); anything else is a 400.</summary>
    private static DateTimeOffset FromEpochSeconds(double seconds, string field)
    {
        var min = (DateTimeOffset.MinValue - DateTimeOffset.UnixEpoch).TotalSeconds;
        var max = (DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).TotalSeconds;
        return double.IsFinite(seconds) && seconds >= min && seconds < Math.Floor(max)
            ? DateTimeOffset.UnixEpoch.AddSeconds(seconds)
            : throw OutOfRange(field);
    }

    private static ValidationException OutOfRange(string field) =>
        new(field, $"'{field}' is out of range: give Unix epoch seconds between -62135596800 and 253402300799 (years 1 to 9999).");

    public static string? Query(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static bool QueryFlag(HttpRequest request, string name) =>
        Query(request, name) is { } value && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    private static readonly string[] Roles = ["user", "assistant", "system"];

    /// <summary>
    /// One message. <c>role</c> is user, assistant or system (the contract's three; absent means user). <c>content</c> is
    /// a string, or the platform's multimodal shape: one part or a list of parts, where text parts
    /// (<c>{"type":"text","text":...}</c>) are joined by line breaks and any other part (images, files) is a 400, since
    /// this service has no model to read them. Numbers, booleans and other objects are 400s, never stored as JSON text.
    /// </summary>
    private static InputMessage ParseMessage(JsonElement element, string field)
    {
        var role = "user";
        if (element.TryGetProperty("role", out var r) && r.ValueKind != JsonValueKind.Null)
        {
            var given = r.ValueKind == JsonValueKind.String ? r.GetString()!.Trim().ToLowerInvariant() : null;
            role = given is not null && Roles.Contains(given, StringComparer.Ordinal)
                ? given
                : throw new ValidationException($"{field}.role", $"'{field}.role' must be one of user, assistant or system.");
        }

        if (!element.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw new ValidationException($"{field}.content", $"'{field}.content' is required.");
        }

        var contentField = $"{field}.content";
        var text = content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Object => TextOfPart(content, contentField),
            JsonValueKind.Array => string.Join('\n', content.EnumerateArray().Select((part, i) => TextOfPart(part, $"{contentField}[{i}]"))),
            _ => throw new ValidationException(contentField, $"'{contentField}' must be a string or text content parts, not {JsonBody.Describe(content.ValueKind)}."),
        };
        string? name = null;
        if (element.TryGetProperty("name", out var n) && n.ValueKind != JsonValueKind.Null)
        {
            name = n.ValueKind == JsonValueKind.String ? n.GetString() : throw new ValidationException($"{field}.name", $"'{field}.name' must be a string.");
        }

        return new InputMessage(role, text, name);
    }

    private static string TextOfPart(JsonElement part, string field)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(field, $"'{field}' must be a content part object such as {{\"type\": \"text\", \"text\": \"...\"}}, not {JsonBody.Describe(part.ValueKind)}.");
        }

        var type = part.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not (null or "text"))
        {
            throw new ValidationException(field, $"'{field}' is a '{type}' part; only text parts are supported (there is no model here to read images or files).");
        }

        return part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()!
            : throw new ValidationException(field, $"'{field}' needs a string 'text'.");
    }
}

/// <summary>Page and page size from the query string (which wins) or the body, plus the cursor our <c>next</c> links carry.</summary>
internal sealed record PageRequest(int Page, int PageSize, string? Cursor)
{
    /// <summary>Reads page and page size; their ranges are checked by the service that pages (<see cref="Paging"/>).</summary>
    public static PageRequest From(HttpRequest request, JsonBody? body, int defaultPageSize = 100)
    {
        var page = QueryInt(request, "page") ?? body?.GetInt("page") ?? 1;
        var size = QueryInt(request, "page_size") ?? body?.GetInt("page_size") ?? defaultPageSize;
        return new PageRequest(page, size, RequestParsing.Query(request, "cursor"));
    }

    /// <summary>Both page params given explicitly (legacy endpoints answer an envelope only then).</summary>
    public static bool IsExplicit(HttpRequest request, JsonBody? body) =>
        (request.Query.ContainsKey("page") || body?.HasValue("page") == true)
        && (request.Query.ContainsKey("page_size") || body?.HasValue("page_size") == true);

    public string? Link(HttpRequest request, int page, string? cursor)
    {
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?page={page}&page_size={PageSize}";
        return cursor is null ? url : url + "&cursor=" + Uri.EscapeDataString(cursor);
    }

    private static int? QueryInt(HttpRequest request, string name)
    {
        var text = RequestParsing.Query(request, name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ValidationException(name, $"'{name}' must be an integer.");
    }
}
