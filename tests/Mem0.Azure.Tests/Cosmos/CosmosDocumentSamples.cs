using System.Text.Json;
using Mem0.Core.Events;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Core.Webhooks;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>One Core record of each stored kind with every field set (and times off UTC with sub-second parts).</summary>
internal static class CosmosDocumentSamples
{
    private static readonly DateTimeOffset s_created = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset s_updated = new(2025, 3, 4, 5, 6, 7, 891, TimeSpan.Zero);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static MemoryRecord Memory => new()
    {
        Id = "m1",
        ProjectId = "p1",
        Text = "Alice visited Paris with Bob",
        Hash = "5d41402abc4b2a76b9719d911017c592",
        Embedding = [0.6f, 0.8f, 0f, -0.125f],
        EmbeddingModel = "text-embedding-3-small",
        Scope = new MemoryScope("alice", "agent-1", "app-1", "run-1"),
        Metadata = Json("""{"topic":"travel","n":2,"nested":{"k":[1,"x",null]}}"""),
        Categories = ["travel", "personal_details"],
        Entities = ["alice", "paris", "bob"],
        Immutable = true,
        ExpirationDate = new DateOnly(2030, 1, 2),
        CreatedAt = s_created,
        UpdatedAt = s_updated,
    };

    public static HistoryEntry History => new()
    {
        Id = "h1",
        ProjectId = "p1",
        MemoryId = "m1",
        Event = HistoryEvent.Update,
        OldMemory = "Alice visited Paris",
        NewMemory = "Alice visited Paris with Bob",
        Input = [new InputMessage("user", "I went to Paris with Bob", "alice"), new InputMessage("assistant", "Nice!")],
        Scope = new MemoryScope("alice", null, "app-1", null),
        Categories = ["travel"],
        Metadata = Json("""{"source":"chat"}"""),
        Actor = "inference",
        CreatedAt = s_created,
        UpdatedAt = s_updated,
    };

    public static MemoryEvent Event => new()
    {
        Id = "e1",
        ProjectId = "p1",
        EventType = "IMPORT",
        Status = EventStatus.Failed,
        Payload = Json("""{"messages":[{"role":"user","content":"hi"}],"user_id":"alice"}"""),
        Results = Json("""[{"id":"m1","event":"ADD","data":{"memory":"hi"}}]"""),
        Progress = new EventProgress(10, 9, 1, [new ItemFailure(3, "m4", "too long")]),
        Error = "1 item failed",
        CreatedAt = s_created,
        UpdatedAt = s_updated,
        StartedAt = s_created.AddSeconds(1),
        CompletedAt = s_updated,
    };

    public static Project Project => new()
    {
        OrgId = "org-1",
        ProjectId = "p1",
        Name = "Default",
        Description = "The first project",
        CustomInstructions = "Only food",
        AgentCustomInstructions = "Be brief",
        CustomCategories = [new CustomCategory("food", "What people eat")],
        OwnerEmail = "owner@example.com",
        CreatedAt = s_created,
        UpdatedAt = s_updated,
    };

    public static ApiKeyRecord ApiKey => new()
    {
        Id = "key-1",
        OrgId = "org-1",
        ProjectId = "p1",
        Name = "default",
        KeyHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        Prefix = "m0-abc1",
        CreatedAt = s_created,
        RevokedAt = s_updated,
    };

    public static Webhook Webhook => new()
    {
        Id = "w1",
        ProjectId = "p1",
        Name = "hook",
        Url = "https://example.com/hook",
        EventTypes = ["memory_add", "memory_update"],
        ProtectedSecret = "CfDJ8protected",
        Owner = "alice",
        IsActive = false,
        ConsecutiveFailures = 3,
        DisabledReason = "3 deliveries dead-lettered",
        CreatedAt = s_created,
        UpdatedAt = s_updated,
    };

    public static WebhookDelivery Delivery => new()
    {
        DeliveryId = "d1",
        WebhookId = "w1",
        ProjectId = "p1",
        EventType = "memory_add",
        Attempt = 5,
        Status = WebhookDeliveryStatus.DeadLettered,
        StatusCode = 500,
        ResponseExcerpt = "upstream error",
        Error = "HTTP 500",
        At = s_updated,
        Message = new WebhookDeliveryMessage
        {
            DeliveryId = "d1",
            WebhookId = "w1",
            ProjectId = "p1",
            EventType = "memory_add",
            EventDetails = Json("""{"id":"m1","event":"ADD"}"""),
            CreatedAt = s_created,
            Sequence = 42,
        },
    };
}
