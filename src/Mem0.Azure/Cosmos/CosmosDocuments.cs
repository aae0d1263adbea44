using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mem0.Core.Events;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Core.Search;
using Mem0.Core.Webhooks;

namespace Mem0.Azure.Cosmos;

/// <summary>Serializer settings shared by the Cosmos client, the document shapes and the tests: camelCase, nulls omitted.</summary>
public static class CosmosJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new UtcTimeConverter() },

        // Documents wrap caller JSON (metadata, event payloads) a few levels down, and older builds accepted bodies 64
        // levels deep: reading back must allow more, or one stored document breaks every later read of it.
        MaxDepth = 256,
    };

    /// <summary>
    /// The options the document shapes turn Core records into JSON with: <see cref="Options"/> without the computed
    /// properties of the records (MemoryScope.Key, MemoryEvent.LatencyMs, WebhookDelivery.IsTerminal), which are not stored.
    /// Kept apart from the client's options: set there, it stopped a store query binding its private projection type (not investigated further).
    /// </summary>
    internal static JsonSerializerOptions RecordOptions { get; } = new(Options) { IgnoreReadOnlyProperties = true };

    /// <summary>
    /// Times are stored as fixed-width UTC ISO-8601 strings so that string order is time order in queries.
    /// </summary>
    public static string FormatTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string FormatDate(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Every <see cref="DateTimeOffset"/> of a stored record in the <see cref="FormatTime"/> form.</summary>
    private sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ParseTime(reader.GetString() ?? throw new JsonException("A stored time was null."));

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(FormatTime(value));
    }
}

/// <summary>
/// How one kind of Core record is stored: the record's own JSON (<see cref="CosmosJson.Options"/>), adjusted only where
/// the document must differ from it — the document <c>id</c>, partition key fields, <c>_etag</c>, the fields the indexing
/// policy needs, and names the queries, indexes and earlier deployments' documents already use.
/// </summary>
internal sealed class CosmosShape<T>(Action<T, JsonObject> toDocument, Action<JsonObject> toRecord)
    where T : class
{
    /// <summary>The document to write.</summary>
    public JsonObject Document(T record)
    {
        ArgumentNullException.ThrowIfNull(record);

        // Through bytes: a node parsed from them keeps each value (the embedding's hundreds of floats) as raw JSON until
        // touched, where SerializeToNode builds a node per number.
        var document = JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(record, CosmosJson.RecordOptions), documentOptions: s_parseOptions)!.AsObject();
        toDocument(record, document);
        return document;
    }

    /// <summary>
    /// The record a stored (or projected) document holds; system and document-only fields are ignored. Renames fields of
    /// <paramref name="document"/> in place (documents are read once; a copy would cost more than the read).
    /// </summary>
    public T Record(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        toRecord(document);
        return document.Deserialize<T>(CosmosJson.RecordOptions) ?? throw new JsonException($"A stored {typeof(T).Name} was null.");
    }

    private static readonly JsonDocumentOptions s_parseOptions = new() { MaxDepth = CosmosJson.Options.MaxDepth };
}

/// <summary>The document shape of every record the Cosmos stores keep.</summary>
internal static class CosmosDocuments
{
    /// <summary>
    /// <c>memories</c>, partitioned by (projectId, ownerKey). The text is stored as <c>memory</c> (the full-text path), the
    /// scope flattened (the filter compiler's <c>c.userId</c> ...), and <c>entityText</c> is the entities as one string,
    /// the path of the entity leg's full-text index (FullTextScore takes a string).
    /// </summary>
    public static CosmosShape<MemoryRecord> Memory { get; } = new(
        (memory, document) =>
        {
            document.Remove("eTag");
            Rename(document, "text", "memory");
            FlattenScope(document);
            var entities = memory.Entities.Count > 0 ? memory.Entities : EntityExtractor.FromStoredText(memory.Text);
            document["ownerKey"] = OwnerKeyOf(memory.Scope);
            document["entities"] = new JsonArray(entities.Select(e => (JsonNode?)e).ToArray());
            document["entityText"] = string.Join(' ', entities);
        },
        document =>
        {
            Rename(document, "memory", "text");
            Rename(document, "_etag", "eTag");
            NestScope(document);
        });

    /// <summary><c>history</c>, partitioned by (projectId, memoryId); <c>dispatched</c> is the webhook outbox flag.</summary>
    /// <remarks>
    /// Written false with the entry, set true by a patch once its notifications are enqueued. Entries written before the
    /// flag existed lack it and are never picked up (no flood of old notifications).
    /// </remarks>
    public static CosmosShape<HistoryEntry> History { get; } = new(
        (_, document) =>
        {
            FlattenScope(document);
            document["dispatched"] = false;
        },
        NestScope);

    /// <summary><c>events</c>, partitioned by projectId: the record as it is.</summary>
    public static CosmosShape<MemoryEvent> Event { get; } = new((_, _) => { }, _ => { });

    /// <summary><c>projects</c>: id = projectId.</summary>
    public static CosmosShape<Project> Project { get; } = new(
        (project, document) => document["id"] = project.ProjectId,
        document => document.Remove("id"));

    /// <summary>
    /// <c>apikeys</c>: the document id and partition key are the key hash, so authenticating a request is one point read;
    /// the key's own id is stored as <c>keyId</c>.
    /// </summary>
    public static CosmosShape<ApiKeyRecord> ApiKey { get; } = new(
        (key, document) =>
        {
            Rename(document, "id", "keyId");
            document["id"] = key.KeyHash;
        },
        document =>
        {
            document.Remove("id");
            Rename(document, "keyId", "id");
        });

    /// <summary><c>webhooks</c>, partitioned by projectId: the record as it is (the secret is already protected).</summary>
    public static CosmosShape<Webhook> Webhook { get; } = new((_, _) => { }, _ => { });

    /// <summary>
    /// An entry of the delivery log in <c>webhookdeliveries</c>, partitioned by delivery id so the duplicate check is a
    /// 1 RU point read. Keyed by attempt and status, so recording the same attempt again (a redelivered message)
    /// overwrites itself. The time is stored as <c>createdAt</c> like the other containers' (ORDER BY reads the same),
    /// and the queued message as its JSON text.
    /// </summary>
    public static CosmosShape<WebhookDelivery> DeliveryAttempt { get; } = new(
        (delivery, document) =>
        {
            document["id"] = string.Create(CultureInfo.InvariantCulture, $"attempt-{delivery.Attempt}-{delivery.Status.ToString().ToLowerInvariant()}");
            document["kind"] = AttemptKind;
            Rename(document, "at", "createdAt");
            document["responseExcerpt"] = WebhookDelivery.Excerpt(delivery.ResponseExcerpt);
            document["message"] = delivery.Message?.ToJson();
            RemoveNulls(document);
        },
        document =>
        {
            document.Remove("id");
            Rename(document, "createdAt", "at");
            if (document["message"] is JsonValue message)
            {
                document["message"] = JsonNode.Parse(message.GetValue<string>());
            }
        });

    /// <summary>The delivery log's value of <c>kind</c> for an attempt (what the log queries select).</summary>
    public const string AttemptKind = "attempt";

    /// <summary>The id of a delivery's first terminal outcome: the de-duplication record.</summary>
    public const string CompletedId = "completed";

    /// <summary>The completion record of a terminal delivery: the attempt's document under a fixed id.</summary>
    public static JsonObject DeliveryCompletion(WebhookDelivery delivery)
    {
        var document = DeliveryAttempt.Document(delivery);
        document["id"] = CompletedId;
        document["kind"] = "completed";
        return document;
    }

    /// <summary>The partition key of a scope: the user when there is one, else the agent, app or run, prefixed by kind.</summary>
    public static string OwnerKeyOf(MemoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.UserId
            ?? (scope.AgentId is { } agent ? "agent:" + agent
            : scope.AppId is { } app ? "app:" + app
            : scope.RunId is { } run ? "run:" + run
            : throw new ArgumentException("A memory needs at least one of user_id, agent_id, app_id, run_id.", nameof(scope)));
    }

    /// <summary>The <c>_etag</c> Cosmos DB gave a stored document.</summary>
    public static string? ETagOf(JsonObject document) => document["_etag"]?.GetValue<string>();

    private static readonly string[] ScopeFields = ["userId", "agentId", "appId", "runId"];

    /// <summary>The scope's ids as top-level fields, as the filters and the entity listing query them.</summary>
    private static void FlattenScope(JsonObject document)
    {
        if (document["scope"] is JsonObject scope)
        {
            document.Remove("scope");
            foreach (var field in ScopeFields)
            {
                if (scope[field] is { } value)
                {
                    document[field] = value.DeepClone();
                }
            }
        }
    }

    private static void NestScope(JsonObject document)
    {
        var scope = new JsonObject();
        foreach (var field in ScopeFields)
        {
            if (document[field] is { } value)
            {
                scope[field] = value.DeepClone();
            }
        }

        document["scope"] = scope;
    }

    private static void Rename(JsonObject document, string from, string to)
    {
        if (document.Remove(from, out var value))
        {
            document[to] = value;
        }
    }

    private static void RemoveNulls(JsonObject document)
    {
        foreach (var name in document.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            document.Remove(name);
        }
    }
}
