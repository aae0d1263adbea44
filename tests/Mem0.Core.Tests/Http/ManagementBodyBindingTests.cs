using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Http;
using Mem0.Core.Webhooks;

namespace Mem0.Core.Tests.Http;

/// <summary>The batch, webhook and admin bodies bound to typed records: shapes checked, errors naming the wire field.</summary>
public sealed class ManagementBodyBindingTests
{
    [Fact]
    public void BatchBody_Items_KeepIdTextAndMetadata()
    {
        var items = Body("""{"memories": [{"memory_id": "a", "text": "t", "metadata": {"k": 1}}, {"memory_id": 7}]}""")
            .Bind<BatchRequestBody>().Items();

        Assert.Equal(("a", "t", 1), (items[0].MemoryId, items[0].Text, items[0].Metadata!.Value.GetProperty("k").GetInt32()));
        Assert.Equal(("7", (string?)null), (items[1].MemoryId, items[1].Text));
    }

    [Theory]
    [InlineData("""{}""", "memories")]
    [InlineData("""{"memories": null}""", "memories")]
    [InlineData("""{"memories": {"memory_id": "a"}}""", "memories")]
    [InlineData("""{"memories": [{"memory_id": "a"}, 5]}""", "memories[1]")]
    [InlineData("""{"memories": [{"memory_id": "a", "text": 5}]}""", "text")]
    [InlineData("""{"memories": [{"memory_id": "a", "metadata": [1]}]}""", "metadata")]
    public void BatchBody_BadShape_ThrowsNamingTheField(string json, string field)
    {
        var ex = Assert.Throws<ValidationException>(() => Body(json).Bind<BatchRequestBody>().Items());

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void WebhookBody_SeveralBadFields_ReportsThemAllAtOnce()
    {
        var ex = Assert.Throws<WebhookValidationException>(() =>
            Body("""{"name": 1, "url": "https://x", "event_types": "memory_add", "is_active": "yes"}""").Bind<WebhookRequestBody>().ToDraft());

        Assert.Equal(["event_types", "is_active", "name"], ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WebhookBody_NullsAreAbsent_AndValuesPassThrough()
    {
        var draft = Body("""{"name": null, "url": "https://x", "event_types": ["memory_add"], "is_active": false}""")
            .Bind<WebhookRequestBody>().ToDraft();

        Assert.Equal(new WebhookDraft(null, "https://x", draft.EventTypes, false), draft);
        Assert.Equal(["memory_add"], draft.EventTypes!);
    }

    [Fact]
    public void AdminBodies_LenientStrings_AndObjectsRefusedByField()
    {
        var project = Body("""{"name": "n", "org_id": 5, "owner_email": "o@example.com"}""").Bind<CreateProjectBody>().ToDraft();

        Assert.Equal(("n", "5", "o@example.com"), (project.Name, project.OrgId, project.OwnerEmail));
        Assert.Equal("name", Assert.Throws<ValidationException>(() => Body("""{"name": {}}""").Bind<CreateApiKeyBody>()).Field);
    }

    private static JsonBody Body(string json) => JsonBody.FromElement(JsonDocument.Parse(json).RootElement.Clone());
}
