using System.Globalization;
using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Memories;
using Mem0.Core.Projects;

namespace Mem0.Core.Http;

/// <summary>
/// The platform's lenient value shapes, read from one JSON value (never JSON null) of the wire field <c>field</c>; every
/// refusal is a 400 naming that field (or a part of it, e.g. <c>messages[0].content</c>). The typed request records'
/// converters (WireAttribute) and <see cref="JsonBody"/>'s accessors both read through these, and so can any other front door.
/// </summary>
public static class WireValues
{
    private static readonly string[] Roles = ["user", "assistant", "system"];

    /// <summary>A string, or a number taken as its text (ids and names are sent both ways by SDKs).</summary>
    public static string LenientString(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new ValidationException(field, $"'{field}' must be a string."),
    };

    /// <summary>A JSON string only (no coercion from numbers or booleans).</summary>
    public static string StrictString(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new ValidationException(field, $"'{field}' must be a string, not {Describe(value.ValueKind)}.");

    /// <summary>A JSON boolean, or <c>"true"</c>/<c>"false"</c> as a string.</summary>
    public static bool LenientBool(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
        _ => throw new ValidationException(field, $"'{field}' must be a boolean."),
    };

    /// <summary>A JSON boolean only: <c>"true"</c> as a string is refused, not guessed at.</summary>
    public static bool StrictBool(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ValidationException(field, $"'{field}' must be true or false, not {Describe(value.ValueKind)}."),
    };

    /// <summary>A 32-bit integer, as a number or a numeric string.</summary>
    public static int LenientInt(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        return value.ValueKind == JsonValueKind.String
            && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new ValidationException(field, $"'{field}' must be an integer.");
    }

    /// <summary>A number, or a numeric string.</summary>
    public static double LenientDouble(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetDouble();
        }

        return value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new ValidationException(field, $"'{field}' must be a number.");
    }

    /// <summary>An object kept verbatim (metadata).</summary>
    public static JsonElement Object(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Object ? value.Clone() : throw new ValidationException(field, $"'{field}' must be a JSON object.");

    /// <summary>An array kept verbatim.</summary>
    public static JsonElement Array(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Array ? value.Clone() : throw new ValidationException(field, $"'{field}' must be a JSON array.");

    /// <summary><c>YYYY-MM-DD</c> (or a full timestamp, whose date is taken).</summary>
    public static DateOnly Date(JsonElement value, string field)
    {
        var text = LenientString(value, field);
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

    /// <summary>Unix epoch seconds (int or float, or as a string) or an ISO-8601 string.</summary>
    public static DateTimeOffset Timestamp(JsonElement value, string field)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDouble(out var seconds) ? FromEpochSeconds(seconds, field) : throw OutOfRange(field);
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
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

    /// <summary>
    /// <c>messages</c>: a string (one user message), one message object or a list of them. Only the shape is read here;
    /// the limits (count, characters, at least one with content) are <see cref="MemoryRules.CheckMessages"/>'.
    /// </summary>
    public static IReadOnlyList<InputMessage> Messages(JsonElement value, string field)
    {
        var result = new List<InputMessage>();
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                result.Add(new InputMessage("user", value.GetString()!));
                break;
            case JsonValueKind.Object:
                result.Add(Message(value, field));
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var itemField = $"{field}[{index++}]";
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        throw new ValidationException(itemField, $"'{itemField}' must be an object with 'role' and 'content'.");
                    }

                    result.Add(Message(item, itemField));
                }

                break;
            default:
                throw new ValidationException(field, $"'{field}' must be a string, a message object or a list of messages.");
        }

        return result;
    }

    /// <summary>Wire <c>custom_categories</c>: a list of single-key objects <c>[{"name": "description"}]</c> (or one object).</summary>
    public static IReadOnlyList<CustomCategory> CustomCategories(JsonElement value, string field)
    {
        var categories = new List<CustomCategory>();
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                AddAll(value, categories, field);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object)
                    {
                        var type = item.ValueKind == JsonValueKind.String ? "str" : Describe(item.ValueKind);
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

    /// <summary>How a JSON kind reads in an error message.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    /// <summary>
    /// One message. <c>role</c> is user, assistant or system (the contract's three; absent means user). <c>content</c> is
    /// a string, or the platform's multimodal shape: one part or a list of parts, where text parts
    /// (<c>{"type":"text","text":...}</c>) are joined by line breaks and any other part (images, files) is a 400, since
    /// this service has no model to read them. Numbers, booleans and other objects are 400s, never stored as JSON text.
    /// </summary>
    private static InputMessage Message(JsonElement element, string field)
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
            _ => throw new ValidationException(contentField, $"'{contentField}' must be a string or text content parts, not {Describe(content.ValueKind)}."),
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
            throw new ValidationException(field, $"'{field}' must be a content part object such as {{\"type\": \"text\", \"text\": \"...\"}}, not {Describe(part.ValueKind)}.");
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
}
