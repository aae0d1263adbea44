using System.Text.Json;
using Mem0.Core.Memories;
using Mem0.Core.Webhooks;

namespace Mem0.Core.Tests.Webhooks;

public class WebhookPayloadTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    internal static HistoryEntry Entry(HistoryEvent kind, string? oldText = null, string? newText = null, IReadOnlyList<string>? categories = null, string id = "h1") => new()
    {
        Id = id,
        ProjectId = "proj-1",
        MemoryId = "mem-1",
        Event = kind,
        OldMemory = oldText,
        NewMemory = newText,
        Scope = new MemoryScope(UserId: "alice"),
        Categories = categories ?? [],
        CreatedAt = At,
        UpdatedAt = At,
    };

    [Theory]
    [InlineData(HistoryEvent.Add, "memory_add", "ADD", "Name is Alex")]
    [InlineData(HistoryEvent.Update, "memory_update", "UPDATE", "Name is Alex")]
    [InlineData(HistoryEvent.Delete, "memory_delete", "DELETE", "Old text")]
    public void FromHistory_Change_ProducesMem0EventDetails(HistoryEvent kind, string eventType, string wireEvent, string text)
    {
        var entry = Entry(kind, oldText: "Old text", newText: kind == HistoryEvent.Delete ? null : "Name is Alex");

        var (type, details) = Assert.Single(WebhookPayload.FromHistory(entry));

        Assert.Equal(eventType, type);
        Assert.Equal("mem-1", details.GetProperty("id").GetString());
        Assert.Equal(text, details.GetProperty("data").GetProperty("memory").GetString());
        Assert.Equal(wireEvent, details.GetProperty("event").GetString());
    }

    [Fact]
    public void FromHistory_AddWithCategories_AlsoProducesCategorize()
    {
        var entry = Entry(HistoryEvent.Add, newText: "Likes hiking in Peru", categories: ["hobbies", "travel"]);

        var events = WebhookPayload.FromHistory(entry);

        Assert.Equal(["memory_add", "memory_categorize"], events.Select(e => e.EventType));
        var details = events[1].Details;
        Assert.Equal("CATEGORIZE", details.GetProperty("event").GetString());
        Assert.Equal("mem-1", details.GetProperty("memory_id").GetString());
        Assert.Equal(["hobbies", "travel"], details.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public void FromHistory_DeleteWithCategories_HasNoCategorize()
    {
        var entry = Entry(HistoryEvent.Delete, oldText: "x", categories: ["hobbies"]);

        Assert.Single(WebhookPayload.FromHistory(entry));
    }

    [Fact]
    public void CreateBody_Message_HasEventDetailsAndEnvelope()
    {
        var (type, details) = WebhookPayload.FromHistory(Entry(HistoryEvent.Add, newText: "Name is Alex"))[0];
        var message = new WebhookDeliveryMessage
        {
            DeliveryId = "d-1",
            WebhookId = "w-1",
            ProjectId = "proj-1",
            EventType = type,
            EventDetails = details,
            CreatedAt = At,
        };

        using var body = JsonDocument.Parse(WebhookPayload.CreateBody(message));
        var root = body.RootElement;

        Assert.Equal("Name is Alex", root.GetProperty("event_details").GetProperty("data").GetProperty("memory").GetString());
        Assert.Equal("d-1", root.GetProperty("delivery_id").GetString());
        Assert.Equal("memory_add", root.GetProperty("event_type").GetString());
        Assert.Equal("proj-1", root.GetProperty("project_id").GetString());
        Assert.Equal("2025-03-04T05:06:07.0000000Z", root.GetProperty("created_at").GetString());
    }

    [Fact]
    public void CreateDeliveryId_SameInputs_IsDeterministicAndDistinctPerWebhookAndType()
    {
        var a = WebhookDeliveryMessage.CreateDeliveryId("h1", "w1", "memory_add");

        Assert.Equal(a, WebhookDeliveryMessage.CreateDeliveryId("h1", "w1", "memory_add"));
        Assert.NotEqual(a, WebhookDeliveryMessage.CreateDeliveryId("h1", "w2", "memory_add"));
        Assert.NotEqual(a, WebhookDeliveryMessage.CreateDeliveryId("h1", "w1", "memory_categorize"));
        Assert.True(Guid.TryParse(a, out _));
    }

    [Fact]
    public void ToJson_ThenFromJson_RoundTrips()
    {
        var (type, details) = WebhookPayload.FromHistory(Entry(HistoryEvent.Add, newText: "x"))[0];
        var message = new WebhookDeliveryMessage { DeliveryId = "d", WebhookId = "w", ProjectId = "p", EventType = type, EventDetails = details, CreatedAt = At, Attempt = 3 };

        var copy = WebhookDeliveryMessage.FromJson(message.ToJson());

        Assert.Equal(message.DeliveryId, copy.DeliveryId);
        Assert.Equal(3, copy.Attempt);
        Assert.Equal(At, copy.CreatedAt);
        Assert.Equal(details.GetRawText(), copy.EventDetails.GetRawText());
        Assert.Contains("\"delivery_id\"", message.ToJson(), StringComparison.Ordinal);
    }
}
