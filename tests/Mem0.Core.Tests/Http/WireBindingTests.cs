using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Http;

namespace Mem0.Core.Tests.Http;

/// <summary>Binding request bodies to the typed records: the platform's lenient shapes in, 400s naming the field out.</summary>
public sealed class WireBindingTests
{
    [Theory]
    [InlineData("""{"messages": "hi", "infer": "true"}""", "infer", "'infer' must be true or false, not a string.")]
    [InlineData("""{"messages": "hi", "immutable": 1}""", "immutable", "'immutable' must be true or false, not a number.")]
    [InlineData("""{"messages": ["hi"]}""", "messages[0]", "'messages[0]' must be an object with 'role' and 'content'.")]
    [InlineData("""{"messages": 5}""", "messages", "'messages' must be a string, a message object or a list of messages.")]
    [InlineData("""{"messages": "hi", "metadata": [1]}""", "metadata", "'metadata' must be a JSON object.")]
    [InlineData("""{"messages": "hi", "expiration_date": "soon"}""", "expiration_date", "'expiration_date' must be a date in YYYY-MM-DD format.")]
    [InlineData("""{"messages": "hi", "custom_categories": [1]}""", "custom_categories[0]", "Expected a dictionary of items but got type \"a number\".")]
    [InlineData("""{"messages": "hi", "user_id": {"a": 1}}""", "user_id", "'user_id' must be a string.")]
    public void BindAdd_InvalidField_ThrowsNamingIt(string json, string field, string message)
    {
        var ex = Assert.Throws<ValidationException>(() => Body(json).Bind<AddRequestBody>());

        Assert.Equal((field, message), (ex.Field, ex.Message));
    }

    [Theory]
    [InlineData("""{"query": "tea", "top_k": "many"}""", "top_k")]
    [InlineData("""{"query": "tea", "limit": 2.5}""", "limit")]
    [InlineData("""{"query": "tea", "threshold": "high"}""", "threshold")]
    [InlineData("""{"query": "tea", "keyword_search": "maybe"}""", "keyword_search")]
    [InlineData("""{"query": ["tea"]}""", "query")]
    public void BindSearch_InvalidField_ThrowsNamingIt(string json, string field)
    {
        Assert.Equal(field, Assert.Throws<ValidationException>(() => Body(json).Bind<SearchRequestBody>()).Field);
    }

    [Fact]
    public void BindAdd_LenientShapes_AreRead()
    {
        var add = Body("""
            {"messages": {"role": "user", "content": [{"type": "text", "text": "a"}]}, "user_id": 42, "infer": false,
             "expiration_date": "2030-01-02T10:00:00Z", "timestamp": "1700000000", "custom_categories": {"food": null},
             "unknown_field": {"ignored": true}, "filters": {"agent_id": "bot"}}
            """).Bind<AddRequestBody>().ToRequest();

        Assert.Equal("a", Assert.Single(add.Messages).Content);
        Assert.Equal(("42", "bot"), (add.Scope.UserId, add.Scope.AgentId));
        Assert.False(add.Infer);
        Assert.Equal(new DateOnly(2030, 1, 2), add.ExpirationDate);
        Assert.Equal(1700000000, add.Timestamp!.Value.ToUnixTimeSeconds());
        Assert.Equal("food", Assert.Single(add.CustomCategories!).Name);
    }

    [Fact]
    public void BindSearch_NumbersAsStringsAndNulls_AreReadLikeThePlatform()
    {
        var search = Body("""{"query": "tea", "limit": "5", "threshold": "0.3", "show_expired": "true", "top_k": null}""").Bind<SearchRequestBody>().ToInput();

        Assert.Equal((5, 0.3, true), (search.TopK, search.Threshold, search.ShowExpired));
    }

    [Fact]
    public void BindAdd_NoMessages_Throws400NamingMessages()
    {
        Assert.Equal("messages", Assert.Throws<ValidationException>(() => Body("""{"user_id": "u"}""").Bind<AddRequestBody>().ToRequest()).Field);
    }

    [Fact]
    public void BindProjectSettings_AbsentLeavesNullClearsValueSets()
    {
        var update = Body("""{"description": null, "custom_instructions": "Be brief.", "custom_categories": [{"food": "meals"}]}""")
            .Bind<ProjectSettingsBody>().ToUpdate();

        Assert.Equal(new Mem0.Core.Projects.Change<string?>(null), update.Description);
        Assert.Equal("Be brief.", update.CustomInstructions!.Value.Value);
        Assert.Null(update.AgentCustomInstructions);
        Assert.Equal("food", Assert.Single(update.CustomCategories!.Value.Value!).Name);
    }

    private static JsonBody Body(string json) => JsonBody.FromElement(JsonDocument.Parse(json).RootElement.Clone());
}
