using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Azure.Cosmos;
using Mem0.Core.Memories;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>
/// Every document shape: a Core record survives record → document → record unchanged (etag, partition fields and times
/// included), the document is exactly the one earlier deployments wrote (the JSON below was produced by the previous,
/// field-by-field document classes from the same records), and such stored documents read back as the record.
/// </summary>
public sealed class CosmosDocumentsTests
{
    // Written by the field-by-field document classes this shape replaced, from CosmosDocumentSamples.
    private const string StoredMemory = """
        {"id":"m1","projectId":"p1","ownerKey":"alice","memory":"Alice visited Paris with Bob","hash":"5d41402abc4b2a76b9719d911017c592","embedding":[0.6,0.8,0,-0.125],"embeddingModel":"text-embedding-3-small","userId":"alice","agentId":"agent-1","appId":"app-1","runId":"run-1","metadata":{"topic":"travel","n":2,"nested":{"k":[1,"x",null]}},"categories":["travel","personal_details"],"immutable":true,"expirationDate":"2030-01-02","createdAt":"2025-01-02T01:04:05.6780000Z","updatedAt":"2025-03-04T05:06:07.8910000Z","entities":["alice","paris","bob"],"entityText":"alice paris bob"}
        """;

    private const string StoredHistory = """
        {"id":"h1","projectId":"p1","memoryId":"m1","event":"update","oldMemory":"Alice visited Paris","newMemory":"Alice visited Paris with Bob","input":[{"role":"user","content":"I went to Paris with Bob","name":"alice"},{"role":"assistant","content":"Nice!"}],"userId":"alice","appId":"app-1","categories":["travel"],"metadata":{"source":"chat"},"actor":"inference","createdAt":"2025-01-02T01:04:05.6780000Z","updatedAt":"2025-03-04T05:06:07.8910000Z","dispatched":false}
        """;

    private const string StoredEvent = """
        {"id":"e1","projectId":"p1","eventType":"IMPORT","status":"failed","payload":{"messages":[{"role":"user","content":"hi"}],"user_id":"alice"},"results":[{"id":"m1","event":"ADD","data":{"memory":"hi"}}],"progress":{"total":10,"processed":9,"failed":1,"failures":[{"index":3,"itemId":"m4","reason":"too long"}]},"error":"1 item failed","createdAt":"2025-01-02T01:04:05.6780000Z","updatedAt":"2025-03-04T05:06:07.8910000Z","startedAt":"2025-01-02T01:04:06.6780000Z","completedAt":"2025-03-04T05:06:07.8910000Z"}
        """;

    private const string StoredProject = """
        {"id":"p1","projectId":"p1","orgId":"org-1","name":"Default","description":"The first project","customInstructions":"Only food","agentCustomInstructions":"Be brief","customCategories":[{"name":"food","description":"What people eat"}],"ownerEmail":"owner@example.com","createdAt":"2025-01-02T01:04:05.6780000Z","updatedAt":"2025-03-04T05:06:07.8910000Z"}
        """;

    private const string StoredApiKey = """
        {"id":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","keyHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","keyId":"key-1","orgId":"org-1","projectId":"p1","name":"default","prefix":"m0-abc1","createdAt":"2025-01-02T01:04:05.6780000Z","revokedAt":"2025-03-04T05:06:07.8910000Z"}
        """;

    private const string StoredWebhook = """
        {"id":"w1","projectId":"p1","name":"hook","url":"https://example.com/hook","eventTypes":["memory_add","memory_update"],"protectedSecret":"CfDJ8protected","owner":"alice","isActive":false,"consecutiveFailures":3,"disabledReason":"3 deliveries dead-lettered","createdAt":"2025-01-02T01:04:05.6780000Z","updatedAt":"2025-03-04T05:06:07.8910000Z"}
        """;

    private const string StoredDeliveryAttempt = """
        {"id":"attempt-5-deadlettered","deliveryId":"d1","kind":"attempt","webhookId":"w1","projectId":"p1","eventType":"memory_add","attempt":5,"status":"deadLettered","statusCode":500,"responseExcerpt":"upstream error","error":"HTTP 500","message":"{\u0022delivery_id\u0022:\u0022d1\u0022,\u0022webhook_id\u0022:\u0022w1\u0022,\u0022project_id\u0022:\u0022p1\u0022,\u0022event_type\u0022:\u0022memory_add\u0022,\u0022event_details\u0022:{\u0022id\u0022:\u0022m1\u0022,\u0022event\u0022:\u0022ADD\u0022},\u0022created_at\u0022:\u00222025-01-02T03:04:05.678\u002B02:00\u0022,\u0022sequence\u0022:42,\u0022attempt\u0022:1}","createdAt":"2025-03-04T05:06:07.8910000Z"}
        """;

    private const string StoredDeliveryCompletion = """
        {"id":"completed","deliveryId":"d1","kind":"completed","webhookId":"w1","projectId":"p1","eventType":"memory_add","attempt":5,"status":"deadLettered","statusCode":500,"responseExcerpt":"upstream error","error":"HTTP 500","message":"{\u0022delivery_id\u0022:\u0022d1\u0022,\u0022webhook_id\u0022:\u0022w1\u0022,\u0022project_id\u0022:\u0022p1\u0022,\u0022event_type\u0022:\u0022memory_add\u0022,\u0022event_details\u0022:{\u0022id\u0022:\u0022m1\u0022,\u0022event\u0022:\u0022ADD\u0022},\u0022created_at\u0022:\u00222025-01-02T03:04:05.678\u002B02:00\u0022,\u0022sequence\u0022:42,\u0022attempt\u0022:1}","createdAt":"2025-03-04T05:06:07.8910000Z"}
        """;

    /// <summary>
    /// Record equality by value (Core records hold arrays and JsonElements, which compare by reference), with times
    /// compared as instants: a record read back is in UTC whatever offset it was written with.
    /// </summary>
    private static void AssertSameRecord<T>(T expected, T actual) =>
        Assert.True(
            JsonNode.DeepEquals(JsonSerializer.SerializeToNode(expected, CosmosJson.Options), JsonSerializer.SerializeToNode(actual, CosmosJson.Options)),
            $"expected {JsonSerializer.Serialize(expected, CosmosJson.Options)}\nactual   {JsonSerializer.Serialize(actual, CosmosJson.Options)}");

    private static void AssertSameDocument(string expected, JsonObject actual) =>
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(JsonSerializer.Serialize(actual, CosmosJson.Options))),
            $"expected {expected}\nactual   {actual.ToJsonString()}");

    /// <summary>What Cosmos DB returns on a read: the stored body plus its system properties.</summary>
    private static JsonObject AsRead(string stored, string etag = "\"0a00b1c2-0000-0d00-0000-65a1b2c30000\"")
    {
        var document = JsonNode.Parse(stored)!.AsObject();
        document["_rid"] = "AbCdEf==";
        document["_self"] = "dbs/x/colls/y/docs/z/";
        document["_etag"] = etag;
        document["_attachments"] = "attachments/";
        document["_ts"] = 1_700_000_000;
        return document;
    }

    [Fact]
    public void Memory_Document_IsTheStoredShapeWithPartitionAndEntityFields()
    {
        var document = CosmosDocuments.Memory.Document(CosmosDocumentSamples.Memory with { ETag = "\"old\"" });

        AssertSameDocument(StoredMemory, document);
        Assert.Equal("alice", document["ownerKey"]!.GetValue<string>());
        Assert.Equal("alice paris bob", document["entityText"]!.GetValue<string>());
        Assert.False(document.ContainsKey("_etag"));
    }

    [Fact]
    public void Memory_RoundTrip_KeepsEveryFieldAndTakesTheEtag()
    {
        var record = CosmosDocumentSamples.Memory;
        var stored = JsonSerializer.Serialize(CosmosDocuments.Memory.Document(record), CosmosJson.Options);

        var read = CosmosDocuments.Memory.Record(AsRead(stored, "\"e7\""));

        AssertSameRecord(record with { ETag = "\"e7\"" }, read);
        Assert.Equal(record.CreatedAt, read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
    }

    [Fact]
    public void Memory_EarlierStoredDocument_Reads()
    {
        var read = CosmosDocuments.Memory.Record(AsRead(StoredMemory, "\"e1\""));

        AssertSameRecord(CosmosDocumentSamples.Memory with { ETag = "\"e1\"" }, read);
    }

    [Theory]
    [InlineData(null, "agent-1", null, null, "agent:agent-1")]
    [InlineData(null, null, "app-1", "run-1", "app:app-1")]
    [InlineData(null, null, null, "run-1", "run:run-1")]
    [InlineData("bob", "agent-1", null, null, "bob")]
    public void Memory_OwnerKey_IsTheFirstScopeIdByKind(string? user, string? agent, string? app, string? run, string ownerKey)
    {
        var record = CosmosDocumentSamples.Memory with { Scope = new MemoryScope(user, agent, app, run) };

        var document = CosmosDocuments.Memory.Document(record);

        Assert.Equal(ownerKey, document["ownerKey"]!.GetValue<string>());
        AssertSameRecord(record, CosmosDocuments.Memory.Record(document));
    }

    [Fact]
    public void Memory_WithoutWriterEntities_StoresThoseOfTheText()
    {
        var document = CosmosDocuments.Memory.Document(CosmosDocumentSamples.Memory with { Entities = [] });

        Assert.Contains("paris", document["entities"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Contains("paris", document["entityText"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_MinimalDocument_ReadsWithDefaults()
    {
        var record = CosmosDocuments.Memory.Record(AsRead("""
            {"id":"m2","projectId":"p1","ownerKey":"run:r","memory":"x","hash":"h","embedding":[1],"embeddingModel":"m",
             "runId":"r","metadata":null,"createdAt":"2025-01-02T01:04:05.0000000Z","updatedAt":"2025-01-02T01:04:05Z"}
            """));

        Assert.Equal(new MemoryScope(RunId: "r"), record.Scope);
        Assert.Null(record.Metadata);
        Assert.Empty(record.Categories);
        Assert.Empty(record.Entities);
        Assert.Null(record.ExpirationDate);
        Assert.False(record.Immutable);
    }

    [Fact]
    public void Memory_MetadataNestedBeyondTheDefaultDepth_RoundTrips()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var record = CosmosDocumentSamples.Memory with { Metadata = JsonDocument.Parse(nested, new JsonDocumentOptions { MaxDepth = 128 }).RootElement };

        var stored = JsonSerializer.Serialize(CosmosDocuments.Memory.Document(record), CosmosJson.Options);
        var read = CosmosDocuments.Memory.Record(JsonSerializer.Deserialize<JsonObject>(stored, CosmosJson.Options)!);

        Assert.Equal(nested, read.Metadata!.Value.GetRawText());
    }

    [Fact]
    public void History_DocumentRoundTripAndEarlierDocument()
    {
        var entry = CosmosDocumentSamples.History;
        var document = CosmosDocuments.History.Document(entry);

        AssertSameDocument(StoredHistory, document);
        Assert.False(document["dispatched"]!.GetValue<bool>());
        AssertSameRecord(entry, CosmosDocuments.History.Record(AsRead(document.ToJsonString())));
        AssertSameRecord(entry, CosmosDocuments.History.Record(AsRead(StoredHistory)));
    }

    [Fact]
    public void Event_DocumentRoundTripAndEarlierDocument()
    {
        var e = CosmosDocumentSamples.Event;
        var document = CosmosDocuments.Event.Document(e);

        AssertSameDocument(StoredEvent, document);
        Assert.False(document.ContainsKey("latencyMs"));
        AssertSameRecord(e, CosmosDocuments.Event.Record(AsRead(document.ToJsonString())));
        AssertSameRecord(e, CosmosDocuments.Event.Record(AsRead(StoredEvent)));
    }

    [Fact]
    public void Project_DocumentRoundTripAndEarlierDocument()
    {
        var project = CosmosDocumentSamples.Project;
        var document = CosmosDocuments.Project.Document(project);

        AssertSameDocument(StoredProject, document);
        Assert.Equal("p1", document["id"]!.GetValue<string>());
        AssertSameRecord(project, CosmosDocuments.Project.Record(AsRead(document.ToJsonString())));
        AssertSameRecord(project, CosmosDocuments.Project.Record(AsRead(StoredProject)));
    }

    [Fact]
    public void ApiKey_IdIsTheHash_KeyIdIsTheRecordId()
    {
        var key = CosmosDocumentSamples.ApiKey;
        var document = CosmosDocuments.ApiKey.Document(key);

        AssertSameDocument(StoredApiKey, document);
        Assert.Equal(key.KeyHash, document["id"]!.GetValue<string>());
        Assert.Equal("key-1", document["keyId"]!.GetValue<string>());
        var read = AsRead(document.ToJsonString(), "\"k9\"");
        AssertSameRecord(key, CosmosDocuments.ApiKey.Record(read));
        Assert.Equal("\"k9\"", CosmosDocuments.ETagOf(read));
        AssertSameRecord(key, CosmosDocuments.ApiKey.Record(AsRead(StoredApiKey)));
    }

    [Fact]
    public void Webhook_DocumentRoundTripAndEarlierDocument()
    {
        var webhook = CosmosDocumentSamples.Webhook;
        var document = CosmosDocuments.Webhook.Document(webhook);

        AssertSameDocument(StoredWebhook, document);
        AssertSameRecord(webhook, CosmosDocuments.Webhook.Record(AsRead(document.ToJsonString())));
        AssertSameRecord(webhook, CosmosDocuments.Webhook.Record(AsRead(StoredWebhook)));
    }

    [Fact]
    public void DeliveryAttempt_DocumentRoundTripAndEarlierDocument()
    {
        var delivery = CosmosDocumentSamples.Delivery;
        var document = CosmosDocuments.DeliveryAttempt.Document(delivery);

        AssertSameDocument(StoredDeliveryAttempt, document);
        Assert.Equal("attempt-5-deadlettered", document["id"]!.GetValue<string>());
        Assert.Equal(JsonValueKind.String, document["message"]!.GetValueKind());
        AssertSameRecord(delivery, CosmosDocuments.DeliveryAttempt.Record(AsRead(document.ToJsonString())));
        AssertSameRecord(delivery, CosmosDocuments.DeliveryAttempt.Record(AsRead(StoredDeliveryAttempt)));
    }

    [Fact]
    public void DeliveryCompletion_IsTheAttemptUnderTheFixedId()
    {
        var delivery = CosmosDocumentSamples.Delivery;
        var document = CosmosDocuments.DeliveryCompletion(delivery);

        AssertSameDocument(StoredDeliveryCompletion, document);
        AssertSameRecord(delivery, CosmosDocuments.DeliveryAttempt.Record(AsRead(StoredDeliveryCompletion)));
    }

    [Fact]
    public void DeliveryAttempt_WithoutMessageOrStatusCode_OmitsThemAndCutsTheExcerpt()
    {
        var delivery = CosmosDocumentSamples.Delivery with
        {
            Status = Core.Webhooks.WebhookDeliveryStatus.Failed,
            StatusCode = null,
            Message = null,
            ResponseExcerpt = new string('x', 2000),
        };

        var document = CosmosDocuments.DeliveryAttempt.Document(delivery);

        Assert.False(document.ContainsKey("message"));
        Assert.False(document.ContainsKey("statusCode"));
        Assert.Equal(Core.Webhooks.WebhookDelivery.MaxExcerptLength, document["responseExcerpt"]!.GetValue<string>().Length);
        AssertSameRecord(delivery with { ResponseExcerpt = new string('x', 512) }, CosmosDocuments.DeliveryAttempt.Record(document));
    }
}
