using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Http;

namespace Mem0.Core.Memories;

/// <summary>
/// The input rules of memory use cases, each stated once and applied by <see cref="MemoryOperations"/> and
/// <see cref="MemoryService"/> whichever front door the input came through. Errors name the wire field.
/// </summary>
public static class MemoryRules
{
    /// <summary>The most a search may return.</summary>
    public const int MaxTopK = 1000;

    /// <summary>Every rule of an add: messages, scope and metadata.</summary>
    public static void CheckAdd(AddMemoriesRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckMessages(request.Messages);
        CheckScope(request.Scope);
        CheckMetadata(request.Metadata);
    }

    /// <summary>A direct edit changes something (text, metadata, expiration or timestamp), with valid text and metadata.</summary>
    public static void CheckUpdate(UpdateMemoryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request is { Text: null, Metadata: null, ExpirationDate: null, ClearExpirationDate: false, Timestamp: null })
        {
            throw new ValidationException("text", "Give at least one of 'text', 'metadata', 'expiration_date' or 'timestamp'.");
        }

        CheckMemoryText(request.Text, "text");
        CheckMetadata(request.Metadata);
    }

    /// <summary>
    /// An add's messages: at least one with content, at most <see cref="RequestLimits.MaxMessagesPerAdd"/>, each within
    /// <see cref="RequestLimits.MaxMessageChars"/> and all within <see cref="RequestLimits.MaxRequestChars"/> (413), so one add has a bounded cost.
    /// </summary>
    public static void CheckMessages(IReadOnlyList<InputMessage>? messages)
    {
        if (messages is null || messages.Count == 0 || messages.All(m => string.IsNullOrWhiteSpace(m.Content)))
        {
            throw new ValidationException("messages", "'messages' must contain at least one message with content.");
        }

        if (messages.Count > RequestLimits.MaxMessagesPerAdd)
        {
            throw new ValidationException(
                "messages",
                $"'messages' has {messages.Count} messages; one add takes at most {RequestLimits.MaxMessagesPerAdd}. {RequestLimits.ImportHint}");
        }

        long total = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            CheckText(messages[i].Content, $"messages[{i}].content", "a message");
            total += messages[i].Content.Length;
        }

        if (total > RequestLimits.MaxRequestChars)
        {
            throw new RequestTooLargeException(
                "messages",
                $"'messages' hold {total} characters; one add takes at most {RequestLimits.MaxRequestChars}. {RequestLimits.ImportHint}");
        }
    }

    /// <summary>At least one of the four ids.</summary>
    public static void CheckScope(MemoryScope scope)
    {
        if (scope is null || scope.IsEmpty)
        {
            throw new ValidationException("user_id", "At least one of user_id, agent_id, app_id or run_id is required.");
        }
    }

    /// <summary>
    /// Metadata is a JSON object at most <see cref="RequestLimits.MaxMetadataDepth"/> levels deep and
    /// <see cref="RequestLimits.MaxMetadataBytes"/> bytes, so what is stored can always be read back and served.
    /// </summary>
    public static void CheckMetadata(JsonElement? metadata, string field = "metadata")
    {
        if (metadata is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(field, $"'{field}' must be a JSON object.");
        }

        if (DepthOf(element) > RequestLimits.MaxMetadataDepth)
        {
            throw new ValidationException(field, $"'{field}' is nested deeper than {RequestLimits.MaxMetadataDepth} levels.");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(element.GetRawText()) > RequestLimits.MaxMetadataBytes)
        {
            throw new ValidationException(field, $"'{field}' is larger than {RequestLimits.MaxMetadataBytes} bytes of JSON.");
        }
    }

    /// <summary>A memory's new text: not blank and within <see cref="RequestLimits.MaxMessageChars"/>.</summary>
    public static void CheckMemoryText(string? text, string field)
    {
        if (text is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ValidationException(field, $"'{field}' must not be empty.");
        }

        CheckText(text, field, "a memory");
    }

    /// <summary>Memory ids are UUIDs; like the platform (contract §3.4), anything else is a 400 rather than "not found".</summary>
    public static string CheckMemoryId(string? memoryId, string field = "memory_id")
    {
        if (string.IsNullOrWhiteSpace(memoryId))
        {
            throw new ValidationException(field, $"'{field}' must not be empty.");
        }

        var id = memoryId.Trim();
        return Guid.TryParse(id, out _) ? id : throw new ValidationException(field, $"{field} should be a valid UUID");
    }

    /// <summary>
    /// The id of the <paramref name="index"/>th item of a batch: required and a UUID, like the single-memory routes;
    /// the error names the item's field (<c>memories[i].memory_id</c>).
    /// </summary>
    public static string CheckBatchMemoryId(string? memoryId, int index)
    {
        var field = $"memories[{index}].memory_id";
        if (string.IsNullOrWhiteSpace(memoryId))
        {
            throw new ValidationException(field, $"{field} is required.");
        }

        var id = memoryId.Trim();
        return Guid.TryParse(id, out _) ? id : throw new ValidationException(field, $"{field} should be a valid UUID");
    }

    /// <summary>A search: a non-blank query, top_k within 1..<see cref="MaxTopK"/>, threshold within [0,1].</summary>
    public static void CheckSearch(string? query, int topK, double threshold)
    {
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new ValidationException("query", "'query' is required and must not be empty.");
        }

        if (topK is < 1 or > MaxTopK)
        {
            throw new ValidationException("top_k", $"'top_k' must be between 1 and {MaxTopK}.");
        }

        if (double.IsNaN(threshold) || threshold is < 0 or > 1)
        {
            throw new ValidationException("threshold", "'threshold' must be between 0 and 1.");
        }
    }

    /// <summary>
    /// Filters given parsed (<paramref name="filter"/>) or as platform-grammar JSON (<paramref name="filters"/>, parsed
    /// here), which must name at least one of the four ids positively, so no read spans a whole project.
    /// </summary>
    public static FilterNode ScopedFilter(FilterNode? filter, JsonElement? filters)
    {
        if (filter is null)
        {
            if (filters is not { ValueKind: JsonValueKind.Object } element)
            {
                throw new ValidationException("filters", "'filters' is required and must contain at least one of user_id, agent_id, app_id or run_id.");
            }

            filter = FilterParser.Parse(element);
        }

        return FilterScopes.HasPositiveScope(filter)
            ? filter
            : throw new ValidationException("filters", "'filters' must contain at least one of user_id, agent_id, app_id or run_id.");
    }

    private static void CheckText(string text, string field, string what)
    {
        if (text.Length > RequestLimits.MaxMessageChars)
        {
            throw new ValidationException(field, $"'{field}' has {text.Length} characters; {what} may have at most {RequestLimits.MaxMessageChars}.");
        }
    }

    private static int DepthOf(JsonElement element)
    {
        // Bounded by the body's own depth limit, so recursion here cannot run away.
        var deepest = 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    deepest = Math.Max(deepest, DepthOf(property.Value));
                }

                return deepest + 1;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    deepest = Math.Max(deepest, DepthOf(item));
                }

                return deepest + 1;
            default:
                return 0;
        }
    }
}
