using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Memories;

namespace Mem0.Core.Webhooks;

/// <summary>Builds the bodies POSTed to receivers: the Mem0 <c>{"event_details": {...}}</c> plus our envelope fields.</summary>
public static class WebhookPayload
{
    /// <summary>The JSON body for <paramref name="message"/>.</summary>
    public static string CreateBody(WebhookDeliveryMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = new JsonObject
        {
            ["event_details"] = JsonNode.Parse(message.EventDetails.GetRawText()),
            ["delivery_id"] = message.DeliveryId,
            ["event_type"] = message.EventType,
            ["project_id"] = message.ProjectId,
            ["webhook_id"] = message.WebhookId,
            ["created_at"] = message.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (message.Sequence is { } sequence)
        {
            // Additive to the Mem0 shape: lets receivers order one memory's events, which may arrive out of order.
            body["sequence"] = sequence;
        }

        return body.ToJsonString();
    }

    /// <summary>
    /// The notifications one history entry produces: its add/update/delete, plus a categorize event when an add or
    /// update assigned categories.
    /// </summary>
    public static IReadOnlyList<(string EventType, JsonElement Details)> FromHistory(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (eventType, wireEvent, text) = entry.Event switch
        {
            HistoryEvent.Add => (WebhookEventTypes.MemoryAdd, "ADD", entry.NewMemory),
            HistoryEvent.Update => (WebhookEventTypes.MemoryUpdate, "UPDATE", entry.NewMemory),
            HistoryEvent.Delete => (WebhookEventTypes.MemoryDelete, "DELETE", entry.OldMemory ?? entry.NewMemory),
            _ => throw new ArgumentOutOfRangeException(nameof(entry), entry.Event, "Unknown history event."),
        };

        var result = new List<(string, JsonElement)>
        {
            (eventType, ToElement(new JsonObject
            {
                ["id"] = entry.MemoryId,
                ["data"] = new JsonObject { ["memory"] = text },
                ["event"] = wireEvent,
            })),
        };

        if (entry.Event != HistoryEvent.Delete && entry.Categories.Count > 0)
        {
            result.Add((WebhookEventTypes.MemoryCategorize, ToElement(new JsonObject
            {
                ["event"] = "CATEGORIZE",
                ["memory_id"] = entry.MemoryId,
                ["categories"] = new JsonArray([.. entry.Categories.Select(c => (JsonNode?)JsonValue.Create(c))]),
            })));
        }

        return result;
    }

    private static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);
}
