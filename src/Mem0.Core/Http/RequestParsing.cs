using System.Globalization;
using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>Reading the pieces of Mem0 requests that several endpoints share.</summary>
internal static class RequestParsing
{
    public static readonly string[] ScopeFields = ["user_id", "agent_id", "app_id", "run_id"];

    /// <summary>
    /// Route values arrive with <c>%2F</c> still encoded (ASP.NET Core never decodes it in paths, so a segment is
    /// never split); decode each segment exactly once here.
    /// </summary>
    public static string DecodeSegment(string raw, string field)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var value = raw.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(raw) : raw;
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ValidationException(field, $"'{field}' must not be empty.");
        }

        return value;
    }

    /// <summary>
    /// A memory id from the path. Memory ids are UUIDs; like the platform (contract §3.4), anything else is a 400
    /// "memory_id should be a valid UUID", which the SDKs raise as a validation error rather than "not found".
    /// </summary>
    public static string ParseMemoryId(string raw)
    {
        var value = DecodeSegment(raw, "memory_id");
        if (!Guid.TryParse(value, out _))
        {
            throw new ValidationException("memory_id", "memory_id should be a valid UUID");
        }

        return value;
    }

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

        if (result.Count == 0 || result.All(m => string.IsNullOrWhiteSpace(m.Content)))
        {
            throw new ValidationException("messages", "'messages' must contain at least one message with content.");
        }

        return result;
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

    public static void RequireScope(MemoryScope scope)
    {
        if (scope.IsEmpty)
        {
            throw new ValidationException("user_id", "At least one of user_id, agent_id, app_id or run_id is required.");
        }
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

    /// <summary>Parses <c>filters</c> and requires at least one positively scoped entity id.</summary>
    public static FilterNode ParseScopedFilters(JsonElement? filters)
    {
        if (filters is not { ValueKind: JsonValueKind.Object } element)
        {
            throw new ValidationException("filters", "'filters' is required and must contain at least one of user_id, agent_id, app_id or run_id.");
        }

        var node = HttpFilters.Parse(element);
        if (!HttpFilters.HasPositiveScope(node))
        {
            throw new ValidationException("filters", "'filters' must contain at least one of user_id, agent_id, app_id or run_id.");
        }

        return node;
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

        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var seconds))
        {
            return DateTimeOffset.UnixEpoch.AddSeconds(seconds);
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds))
            {
                return DateTimeOffset.UnixEpoch.AddSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return parsed;
            }
        }

        throw new ValidationException(field, $"'{field}' must be Unix epoch seconds or an ISO-8601 timestamp.");
    }

    public static string? Query(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static bool QueryFlag(HttpRequest request, string name) =>
        Query(request, name) is { } value && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    private static InputMessage ParseMessage(JsonElement element, string field)
    {
        var role = element.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString()! : "user";
        if (!element.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw new ValidationException($"{field}.content", $"'{field}.content' is required.");
        }

        var text = content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Object when content.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String => t.GetString()!,
            _ => content.GetRawText(),
        };
        var name = element.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new InputMessage(role, text, name);
    }
}

/// <summary>Page and page size from the query string (which wins) or the body, plus the cursor our <c>next</c> links carry.</summary>
internal sealed record PageRequest(int Page, int PageSize, string? Cursor)
{
    public const int MaxPageSize = 200;

    public static PageRequest From(HttpRequest request, JsonBody? body, int defaultPageSize = 100)
    {
        var page = QueryInt(request, "page") ?? body?.GetInt("page") ?? 1;
        var size = QueryInt(request, "page_size") ?? body?.GetInt("page_size") ?? defaultPageSize;
        if (page < 1)
        {
            throw new ValidationException("page", "'page' must be 1 or more.");
        }

        if (size is < 1 or > MaxPageSize)
        {
            throw new ValidationException("page_size", $"'page_size' must be between 1 and {MaxPageSize}.");
        }

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
