using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mem0.Core.Webhooks;

/// <summary>
/// One notification for one webhook, as it travels through the queue. The delivery id is derived from the source
/// change and the webhook, so a change enqueued twice (crash between enqueue and mark) keeps the same id.
/// </summary>
public sealed record WebhookDeliveryMessage
{
    [JsonPropertyName("delivery_id")]
    public required string DeliveryId { get; init; }

    [JsonPropertyName("webhook_id")]
    public required string WebhookId { get; init; }

    [JsonPropertyName("project_id")]
    public required string ProjectId { get; init; }

    [JsonPropertyName("event_type")]
    public required string EventType { get; init; }

    /// <summary>The Mem0 <c>event_details</c> object, sent verbatim.</summary>
    [JsonPropertyName("event_details")]
    public required JsonElement EventDetails { get; init; }

    /// <summary>When the change happened.</summary>
    [JsonPropertyName("created_at")]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// For memory events: the change's commit time in 100 ns ticks since 0001-01-01 UTC. Changes of one memory are
    /// committed one after another, so it increases with each change of that memory: receivers order by it, because
    /// deliveries are concurrent and retried, hence unordered. Null for ingest job events.
    /// </summary>
    [JsonPropertyName("sequence")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Sequence { get; init; }

    /// <summary>1 for the first attempt; incremented for each retry message.</summary>
    [JsonPropertyName("attempt")]
    public int Attempt { get; init; } = 1;

    public static string CreateDeliveryId(string sourceId, string webhookId, string eventType)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{sourceId}\n{webhookId}\n{eventType}"));
        // A UUID-shaped id (first 16 bytes of the hash) reads naturally in headers and logs.
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(this, WebhookJson.Options);

    public static WebhookDeliveryMessage FromJson(string json) =>
        JsonSerializer.Deserialize<WebhookDeliveryMessage>(json, WebhookJson.Options)
        ?? throw new JsonException("A webhook delivery message was null.");
}

internal static class WebhookJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
