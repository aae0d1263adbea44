using System.Text.Json;
using Mem0.Core.Memories;

namespace Mem0.Core.Extraction;

/// <summary>
/// Turns the model's reply into decisions. Tolerates code fences and prose around the JSON object;
/// anything else off-schema is an <see cref="ExtractionFormatException"/> whose message is fed back to the model.
/// </summary>
public static class ExtractionResponseParser
{
    public static IReadOnlyList<ExtractionDecision> Parse(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            throw new ExtractionFormatException("the reply was empty.");
        }

        var json = ExtractJsonObject(reply);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new ExtractionFormatException($"the reply is not valid JSON ({ex.Message}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ExtractionFormatException("the reply must be a JSON object.");
            }

            if (!root.TryGetProperty("memory", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new ExtractionFormatException("the object must have a \"memory\" array.");
            }

            var decisions = new List<ExtractionDecision>(list.GetArrayLength());
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                decisions.Add(ParseItem(item, index++));
            }

            return decisions;
        }
    }

    private static ExtractionDecision ParseItem(JsonElement item, int index)
    {
        var where = $"memory[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new ExtractionFormatException($"{where} must be an object.");
        }

        var eventName = ReadString(item, "event", where);
        var operation = eventName?.Trim().ToUpperInvariant() switch
        {
            "ADD" => MemoryOperation.Add,
            "UPDATE" => MemoryOperation.Update,
            "DELETE" => MemoryOperation.Delete,
            "NONE" or "NOOP" => MemoryOperation.None,
            _ => throw new ExtractionFormatException($"{where}.event must be one of ADD, UPDATE, DELETE, NONE."),
        };

        var id = ReadId(item, where);
        var text = ReadString(item, "text", where)?.Trim();
        var categories = ReadCategories(item, where);

        if (operation is MemoryOperation.Add or MemoryOperation.Update && string.IsNullOrEmpty(text))
        {
            throw new ExtractionFormatException($"{where} ({operation.ToString().ToUpperInvariant()}) needs a non-empty \"text\".");
        }

        if (operation is MemoryOperation.Update or MemoryOperation.Delete or MemoryOperation.None && id is null)
        {
            throw new ExtractionFormatException($"{where} ({operation.ToString().ToUpperInvariant()}) needs the \"id\" of an existing memory.");
        }

        return new ExtractionDecision(operation, id, text, categories);
    }

    private static string? ReadString(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new ExtractionFormatException($"{where}.{name} must be a string.");
    }

    // Models sometimes write ids as numbers; "3" and 3 mean the same short id.
    private static string? ReadId(JsonElement item, string where)
    {
        if (!item.TryGetProperty("id", out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => string.IsNullOrWhiteSpace(value.GetString()) ? null : value.GetString()!.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new ExtractionFormatException($"{where}.id must be a string."),
        };
    }

    private static IReadOnlyList<string> ReadCategories(JsonElement item, string where)
    {
        if (!item.TryGetProperty("categories", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new ExtractionFormatException($"{where}.categories must be an array of strings.");
        }

        var categories = new List<string>();
        foreach (var category in value.EnumerateArray())
        {
            if (category.ValueKind != JsonValueKind.String)
            {
                throw new ExtractionFormatException($"{where}.categories must be an array of strings.");
            }

            categories.Add(category.GetString()!);
        }

        return categories;
    }

    /// <summary>The outermost {...} of the reply, which drops code fences and any prose around the object.</summary>
    private static string ExtractJsonObject(string reply)
    {
        var start = reply.IndexOf('{', StringComparison.Ordinal);
        var end = reply.LastIndexOf('}');
        if (start < 0 || end <= start)
        {
            throw new ExtractionFormatException("the reply contains no JSON object.");
        }

        return reply[start..(end + 1)];
    }
}

/// <summary>The model's reply did not follow the required format; the message says how, for the retry prompt.</summary>
public sealed class ExtractionFormatException : Exception
{
    public ExtractionFormatException(string message)
        : base(message)
    {
    }

    public ExtractionFormatException()
    {
    }

    public ExtractionFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
