using System.Text.Json;

namespace Mem0.Core.Mcp;

/// <summary>
/// Checks a tool call's arguments against the tool's own input schema before the SDK binds them, so a wrong type, a
/// missing required argument or an unknown name becomes a tool error that names the argument, instead of a binding
/// exception that the SDK reports without saying which argument was wrong.
/// </summary>
internal static class McpToolArguments
{
    /// <summary>The first problem as (argument, message), or null when the arguments fit the schema.</summary>
    public static (string Argument, string Message)? FirstProblem(JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        var properties = inputSchema.ValueKind == JsonValueKind.Object && inputSchema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p
            : default;
        var known = properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().Select(x => x.Name).ToList()
            : [];

        if (arguments?.Keys.FirstOrDefault(name => !known.Contains(name, StringComparer.Ordinal)) is { } unknown)
        {
            return (unknown, $"Unknown argument '{unknown}'. This tool takes: {string.Join(", ", known)}.");
        }

        if (inputSchema.ValueKind == JsonValueKind.Object && inputSchema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                if (arguments is null || !arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    return (name, $"Missing required argument '{name}'.");
                }
            }
        }

        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (TypeProblem(name, properties.GetProperty(name), value) is { } problem)
            {
                return (name, problem);
            }
        }

        return null;
    }

    private static string? TypeProblem(string name, JsonElement schema, JsonElement value)
    {
        var types = AllowedTypes(schema);
        if (types.Count == 0 || types.Any(t => Fits(t, value)))
        {
            return null;
        }

        return $"Argument '{name}' must be {string.Join(" or ", types.Where(t => t != "null").Select(Article))}, not {Describe(value)}.";
    }

    private static List<string> AllowedTypes(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return [];
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => [.. type.EnumerateArray().Select(t => t.GetString()).OfType<string>()],
            _ => [],
        };
    }

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => true,
    };

    private static string Article(string type) => type switch
    {
        "integer" => "an integer (32-bit)",
        "object" => "a JSON object",
        "array" => "a list",
        "boolean" => "true or false",
        _ => "a " + type,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "the number " + value.GetRawText() : "a number with a fraction",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        _ => "an unknown value",
    };
}
