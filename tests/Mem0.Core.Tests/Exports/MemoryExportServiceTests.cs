using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Exports;
using Mem0.Core.Extraction;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Testing.AI;
using Mem0.Testing.Engine;
using Mem0.Testing.Stores;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Core.Tests.Exports;

public sealed class MemoryExportServiceTests
{
    private static readonly MemoryScope Alice = new(UserId: "alice");
    private static readonly MemoryScope Bob = new(UserId: "bob");
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}}}""").RootElement;

    private readonly EngineHarness _harness = new(new InMemoryMemoryStore());
    private readonly InMemoryEventStore _events = new();

    private MemoryExportService Service(IChatClient? chat = null) =>
        new(_harness.Service, _events, _harness.Time, NullLogger<MemoryExportService>.Instance, chat);

    private async Task AddAsync(MemoryScope scope, params string[] texts)
    {
        foreach (var text in texts)
        {
            await _harness.Service.AddAsync(EngineHarness.Add(scope, text) with { Infer = false });
        }
    }

    private static FilterNode Filter(string json) => FilterParser.Parse(JsonDocument.Parse(json).RootElement);

    private static CreateExportRequest Request(string filtersJson = """{"AND":[{"user_id":"alice"}]}""", string? instructions = null) => new()
    {
        ProjectId = EngineHarness.ProjectId,
        Schema = Schema,
        Filter = Filter(filtersJson),
        Instructions = instructions,
        Payload = JsonDocument.Parse($$"""{"schema":{},"filters":{{filtersJson}}}""").RootElement,
    };

    [Fact]
    public async Task CreateExportAsync_NoModel_StoresTheScopesMemoriesWithANote()
    {
        await AddAsync(Alice, "lives in Lisbon", "likes tea");
        await AddAsync(Bob, "lives in Porto");
        var service = Service();

        var memoryEvent = await service.CreateExportAsync(Request());
        var export = await service.GetExportAsync(EngineHarness.ProjectId, memoryEvent.Id);

        Assert.Equal(MemoryExportService.ExportEventType, memoryEvent.EventType);
        Assert.Equal(EventStatus.Succeeded, memoryEvent.Status);
        Assert.NotNull(export);
        Assert.Equal(["likes tea", "lives in Lisbon"], export.Value.GetProperty("memories").EnumerateArray().Select(m => m.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(MemoryExportService.NoLlmExportNote, export.Value.GetProperty("_note").GetString());
        Assert.False(service.UsesLanguageModel);
    }

    [Fact]
    public async Task CreateExportAsync_WithModel_MakesOneJsonModeCallAndKeepsItsObject()
    {
        await AddAsync(Alice, "lives in Lisbon");
        var chat = new ScriptedChatClient("```json\n{\"city\": \"Lisbon\"}\n```");
        var service = Service(chat);

        var memoryEvent = await service.CreateExportAsync(Request(instructions: "Cities in English."));
        var export = await service.GetExportAsync(EngineHarness.ProjectId, memoryEvent.Id);

        Assert.Equal("Lisbon", export!.Value.GetProperty("city").GetString());
        var call = Assert.Single(chat.Calls);
        Assert.Equal(ChatResponseFormat.Json, call.Options!.ResponseFormat);
        Assert.Contains("\"city\"", call.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("Cities in English.", call.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("] lives in Lisbon", call.UserPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", call.SystemPrompt + call.UserPrompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1, 2]")]
    public async Task CreateExportAsync_ModelReplyNotAnObject_RecordsFailedEventAndThrows(string reply)
    {
        await AddAsync(Alice, "lives in Lisbon");
        var service = Service(new ScriptedChatClient(reply));

        await Assert.ThrowsAsync<ExtractionFailedException>(() => service.CreateExportAsync(Request()));

        var stored = Assert.Single((await _events.ListAsync(EngineHarness.ProjectId, new EventListQuery())).Items);
        Assert.Equal(EventStatus.Failed, stored.Status);
        Assert.Null(await service.GetExportAsync(EngineHarness.ProjectId, stored.Id));
    }

    [Fact]
    public async Task FindExportAsync_FlatOrStructuredFilters_FindTheNewestExportOfThoseFilters()
    {
        await AddAsync(Alice, "first");
        var service = Service();
        await service.CreateExportAsync(Request());
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        await AddAsync(Alice, "second");
        await service.CreateExportAsync(Request());

        var byFlat = await service.FindExportAsync(EngineHarness.ProjectId, Filter("""{"user_id":"alice"}"""));
        var byStructured = await service.FindExportAsync(EngineHarness.ProjectId, Filter("""{"AND":[{"user_id":"alice"}]}"""));
        var byOther = await service.FindExportAsync(EngineHarness.ProjectId, Filter("""{"AND":[{"user_id":"bob"}]}"""));
        var otherProject = await service.FindExportAsync("proj-other", Filter("""{"user_id":"alice"}"""));

        Assert.Equal(2, byFlat!.Value.GetProperty("memories").GetArrayLength());
        Assert.Equal(byFlat.Value.ToString(), byStructured!.Value.ToString());
        Assert.Null(byOther);
        Assert.Null(otherProject);
    }

    [Fact]
    public async Task GetExportAsync_IdOfAnotherKindOfEvent_ReturnsNull()
    {
        var now = _harness.Time.GetUtcNow();
        await _events.CreateAsync(new MemoryEvent
        {
            Id = "evt-add",
            ProjectId = EngineHarness.ProjectId,
            EventType = "ADD",
            Status = EventStatus.Succeeded,
            Results = JsonDocument.Parse("""[{"data":{"memory":"x"}}]""").RootElement,
            CreatedAt = now,
            UpdatedAt = now,
        });

        Assert.Null(await Service().GetExportAsync(EngineHarness.ProjectId, "evt-add"));
    }

    [Fact]
    public async Task SummarizeAsync_NoModel_GroupsByCategoryInNameOrder()
    {
        var chat = new ScriptedChatClient(messages =>
            messages.Last().Text!.Contains("I live in Lisbon", StringComparison.Ordinal)
                ? """{"memory": [{"event": "ADD", "text": "Lives in Lisbon", "categories": ["travel"]}]}"""
                : """{"memory": [{"event": "ADD", "text": "Likes tea", "categories": ["food", "user_preferences"]}]}""");
        var withModel = new EngineHarness(new InMemoryMemoryStore(), chat);
        await withModel.Service.AddAsync(EngineHarness.Add(Alice, "I like tea"));
        await withModel.Service.AddAsync(EngineHarness.Add(Alice, "I live in Lisbon"));
        await withModel.Service.AddAsync(EngineHarness.Add(Alice, "plain note") with { Infer = false });
        var service = new MemoryExportService(withModel.Service, _events, withModel.Time, NullLogger<MemoryExportService>.Instance);

        var groups = await service.SummarizeAsync(EngineHarness.ProjectId, Filter("""{"user_id":"alice"}"""));

        Assert.Equal(["food", "travel", "uncategorized", "user_preferences"], groups.Select(g => g!["category"]!.GetValue<string>()));
        Assert.Equal(["Likes tea"], groups[0]!["memories"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.All(groups, g => Assert.Equal(MemoryExportService.NoLlmSummaryNote, g!["note"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SummarizeAsync_NothingMatches_ReturnsEmptyWithoutCallingTheModel()
    {
        var chat = new ScriptedChatClient();

        var result = await Service(chat).SummarizeAsync(EngineHarness.ProjectId, Filter("""{"user_id":"nobody"}"""));

        Assert.Empty(result);
        Assert.Equal(0, chat.CallCount);
    }

    [Fact]
    public async Task SummarizeAsync_ModelFails_ThrowsExtractionFailed()
    {
        await AddAsync(Alice, "lives in Lisbon");
        var chat = new ScriptedChatClient(_ => throw new HttpRequestException("upstream down"));

        await Assert.ThrowsAsync<ExtractionFailedException>(() => Service(chat).SummarizeAsync(EngineHarness.ProjectId, Filter("""{"user_id":"alice"}""")));
    }

    [Theory]
    [InlineData("export-system.md", "{{schema}}")]
    [InlineData("export-user.md", "{{memories}}")]
    [InlineData("summary-system.md", "\"summary\"")]
    [InlineData("summary-user.md", "{{memories}}")]
    public void Prompts_AreEmbeddedWithTheirPlaceholders(string file, string expected)
    {
        Assert.Contains(expected, PromptTemplates.Load(file), StringComparison.Ordinal);
    }
}
