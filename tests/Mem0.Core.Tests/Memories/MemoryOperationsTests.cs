using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Testing.AI;
using Mem0.Testing.Engine;
using Mem0.Testing.Stores;

namespace Mem0.Core.Tests.Memories;

/// <summary>The application service every front door calls: validation named by field, events, scheduling.</summary>
public sealed class MemoryOperationsTests
{
    private const string Project = EngineHarness.ProjectId;
    private static readonly MemoryScope Alice = new(UserId: "alice");

    private readonly InMemoryEventStore _events = new();
    private readonly RecordingScheduler _jobs = new();

    [Fact]
    public async Task AddAsync_Verbatim_StoresNowAndRecordsASucceededAddEvent()
    {
        var (operations, _) = Create();

        var outcome = await operations.AddAsync(Project, Add("I like green tea.") with { Infer = false });

        Assert.False(outcome.Queued);
        Assert.Equal((EventTypes.Add, EventStatus.Succeeded), (outcome.Event.EventType, outcome.Event.Status));
        Assert.Equal("I like green tea.", Assert.Single(outcome.Results).Memory);
        var stored = (await _events.GetAsync(Project, outcome.Event.Id))!;
        Assert.Equal("verbatim", stored.Results!.Value[0].GetProperty("extractor").GetString());
        Assert.Empty(_jobs.Adds);
    }

    [Fact]
    public async Task AddAsync_Inferring_RecordsAPendingEventAndSchedulesTheJob()
    {
        var (operations, _) = Create();

        var outcome = await operations.AddAsync(Project, Add("I like green tea."));

        Assert.True(outcome.Queued);
        Assert.Equal(EventStatus.Pending, (await _events.GetAsync(Project, outcome.Event.Id))!.Status);
        var (scheduled, request) = Assert.Single(_jobs.Adds);
        Assert.Equal((outcome.Event.Id, Project, Alice), (scheduled.Id, request.ProjectId, request.Scope));
    }

    [Fact]
    public async Task AddAsync_InferringNotInBackground_RunsNowWithoutAJob()
    {
        var (operations, _) = Create();

        var outcome = await operations.AddAsync(Project, Add("I like green tea."), new AddMemoriesOptions { Background = false });

        Assert.Equal(EventStatus.Succeeded, outcome.Event.Status);
        Assert.Empty(_jobs.Adds);
    }

    public static TheoryData<AddMemoriesRequest, string> InvalidAdds() => new()
    {
        { Add(), "messages" },
        { Add("   "), "messages" },
        { Add([.. Enumerable.Range(0, RequestLimits.MaxMessagesPerAdd + 1).Select(i => $"fact {i}")]), "messages" },
        { Add("ok", new string('a', RequestLimits.MaxMessageChars + 1)), "messages[1].content" },
        { Add("I like tea.") with { Scope = MemoryScope.Empty }, "user_id" },
        { Add("I like tea.") with { Metadata = JsonDocument.Parse("[1]").RootElement }, "metadata" },
        { Add("I like tea.") with { Metadata = Nested(RequestLimits.MaxMetadataDepth + 1) }, "metadata" },
    };

    [Theory]
    [MemberData(nameof(InvalidAdds))]
    public async Task AddAsync_InvalidInput_Throws400NamingTheFieldAndQueuesNothing(AddMemoriesRequest input, string field)
    {
        var (operations, _) = Create();

        var ex = await Assert.ThrowsAnyAsync<ValidationException>(() => operations.AddAsync(Project, input));

        Assert.Equal(field, ex.Field);
        Assert.Empty(_jobs.Adds);
        Assert.Equal(0, (await _events.ListAsync(Project, new EventListQuery())).TotalCount);
    }

    [Fact]
    public async Task AddAsync_OverTheRequestCharacterLimit_Throws413NamingMessages()
    {
        var (operations, _) = Create();
        var count = (RequestLimits.MaxRequestChars / RequestLimits.MaxMessageChars) + 1;

        var ex = await Assert.ThrowsAsync<RequestTooLargeException>(() =>
            operations.AddAsync(Project, Add([.. Enumerable.Repeat(new string('b', RequestLimits.MaxMessageChars), count)]) with { Infer = false }));

        Assert.Equal("messages", ex.Field);
    }

    [Fact]
    public async Task AddAsync_WithALanguageModel_ReadsTheProjectOnce()
    {
        var chat = new ScriptedChatClient("""{"memory": [{"event": "ADD", "text": "Likes green tea", "categories": []}]}""");
        var (operations, harness) = Create(chat);

        await operations.AddAsync(Project, Add("I like green tea."), new AddMemoriesOptions { Background = false });

        Assert.Equal(1, harness.Projects.ProjectReads);
    }

    [Fact]
    public async Task AddAsync_Verbatim_DoesNotReadTheProject()
    {
        var (operations, harness) = Create();

        await operations.AddAsync(Project, Add("I like green tea.") with { Infer = false });

        Assert.Equal(0, harness.Projects.ProjectReads);
    }

    [Theory]
    [InlineData("", 10, 0.1, "query")]
    [InlineData("tea", 0, 0.1, "top_k")]
    [InlineData("tea", 1001, 0.1, "top_k")]
    [InlineData("tea", 10, 1.5, "threshold")]
    [InlineData("tea", 10, double.NaN, "threshold")]
    public async Task SearchAsync_InvalidInput_Throws400NamingTheField(string query, int topK, double threshold, string field)
    {
        var (operations, _) = Create();

        var ex = await Assert.ThrowsAsync<ValidationException>(() => operations.SearchAsync(
            Project, new SearchMemoriesInput { Query = query, TopK = topK, Threshold = threshold, Filter = FilterScopes.Exact(Alice) }));

        Assert.Equal(field, ex.Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"categories": {"in": ["food"]}}""")]
    [InlineData("""{"NOT": [{"user_id": "alice"}]}""")]
    public async Task SearchAsync_FiltersWithoutAPositiveScope_Throws400NamingFilters(string? filters)
    {
        var (operations, _) = Create();
        var json = filters is null ? (JsonElement?)null : JsonDocument.Parse(filters).RootElement;

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            operations.SearchAsync(Project, new SearchMemoriesInput { Query = "tea", Filters = json }));

        Assert.Equal("filters", ex.Field);
    }

    [Fact]
    public async Task SearchAsync_FiltersAsJsonOrAsNode_FindTheSameMemories()
    {
        var (operations, _) = Create();
        await operations.AddAsync(Project, Add("I like green tea.") with { Infer = false });
        await operations.AddAsync(Project, Add("I like black tea.") with { Infer = false, Scope = new MemoryScope(UserId: "bob") });

        var byJson = await operations.SearchAsync(
            Project, new SearchMemoriesInput { Query = "tea", Threshold = 0, Filters = JsonDocument.Parse("""{"user_id": "alice"}""").RootElement });
        var byNode = await operations.SearchAsync(Project, new SearchMemoriesInput { Query = "tea", Threshold = 0, Filter = FilterScopes.Exact(Alice) });

        Assert.Equal("I like green tea.", Assert.Single(byJson).Memory.Text);
        Assert.Equal(byJson.Select(h => h.Memory.Id), byNode.Select(h => h.Memory.Id));
    }

    [Theory]
    [InlineData(0, 10, "page")]
    [InlineData(1, 0, "page_size")]
    [InlineData(1, 201, "page_size")]
    public async Task ListAsync_PageOutOfRange_Throws400NamingTheField(int page, int pageSize, string field)
    {
        var (operations, _) = Create();

        var ex = await Assert.ThrowsAsync<ValidationException>(() => operations.ListAsync(
            Project, new ListMemoriesInput { Filter = FilterScopes.Exact(Alice), Page = page, PageSize = pageSize }));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public async Task ListAsync_PagePastTheEnd_ThrowsPageNotFound()
    {
        var (operations, _) = Create();
        await operations.AddAsync(Project, Add("I like green tea.") with { Infer = false });

        var ex = await Assert.ThrowsAsync<NotFoundException>(() =>
            operations.ListAsync(Project, new ListMemoriesInput { Filter = FilterScopes.Exact(Alice), Page = 3, PageSize = 1 }));

        Assert.Equal(ResourceKind.Page, ex.Resource);
    }

    [Fact]
    public async Task ListAsync_TwoPages_TheFirstCarriesTheCursorOfTheSecond()
    {
        var (operations, _) = Create();
        await operations.AddAsync(Project, Add("I like green tea.", "I own a bike.", "I live in Lyon.") with { Infer = false });

        var first = await operations.ListAsync(Project, new ListMemoriesInput { Filter = FilterScopes.Exact(Alice), PageSize = 2 });
        var second = await operations.ListAsync(Project, new ListMemoriesInput { Filter = FilterScopes.Exact(Alice), Page = 2, PageSize = 2, Cursor = first.NextCursor });

        Assert.Equal((3, 2, true), (first.TotalCount, first.Items.Count, first.HasNext));
        Assert.Single(second.Items);
        Assert.False(second.HasNext);
    }

    [Fact]
    public async Task UpdateAsync_OnlyATimestamp_SetsUpdatedAt()
    {
        var (operations, _) = Create();
        var id = (await operations.AddAsync(Project, Add("I like green tea.") with { Infer = false })).Results[0].Id;
        var when = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var updated = await operations.UpdateAsync(Project, id, new UpdateMemoryRequest { Timestamp = when });

        Assert.Equal((when, "I like green tea."), (updated.UpdatedAt, updated.Text));
    }

    public static TheoryData<UpdateMemoryRequest, string> InvalidUpdates() => new()
    {
        { new UpdateMemoryRequest(), "text" },
        { new UpdateMemoryRequest { Text = "  " }, "text" },
        { new UpdateMemoryRequest { Text = new string('a', RequestLimits.MaxMessageChars + 1) }, "text" },
        { new UpdateMemoryRequest { Metadata = JsonDocument.Parse("\"x\"").RootElement }, "metadata" },
    };

    [Theory]
    [MemberData(nameof(InvalidUpdates))]
    public async Task UpdateAsync_InvalidInput_Throws400NamingTheField(UpdateMemoryRequest update, string field)
    {
        var (operations, _) = Create();
        var id = (await operations.AddAsync(Project, Add("I like green tea.") with { Infer = false })).Results[0].Id;

        var ex = await Assert.ThrowsAsync<ValidationException>(() => operations.UpdateAsync(Project, id, update));

        Assert.Equal(field, ex.Field);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData(" ")]
    public async Task GetUpdateDeleteHistory_MemoryIdNotAUuid_Throw400NamingMemoryId(string memoryId)
    {
        var (operations, _) = Create();

        foreach (var call in new Func<Task>[]
        {
            () => operations.GetAsync(Project, memoryId),
            () => operations.UpdateAsync(Project, memoryId, new UpdateMemoryRequest { Text = "x" }),
            () => operations.DeleteAsync(Project, memoryId),
            () => operations.GetHistoryAsync(Project, memoryId),
        })
        {
            Assert.Equal("memory_id", (await Assert.ThrowsAsync<ValidationException>(call)).Field);
        }
    }

    [Fact]
    public async Task DeleteAllAsync_NoScope_Throws400NamingUserId()
    {
        var (operations, _) = Create();

        var ex = await Assert.ThrowsAsync<ValidationException>(() => operations.DeleteAllAsync(Project, new DeleteTarget()));

        Assert.Equal("user_id", ex.Field);
    }

    [Fact]
    public async Task DeleteAllAsync_SmallScope_DeletesNowAndRecordsASucceededDeleteEvent()
    {
        var (operations, harness) = Create();
        await operations.AddAsync(Project, Add("I like green tea.", "I own a bike.") with { Infer = false });

        var memoryEvent = await operations.DeleteAllAsync(Project, new DeleteTarget(UserId: "alice"));

        Assert.Equal((EventTypes.Delete, EventStatus.Succeeded, 2), (memoryEvent.EventType, memoryEvent.Status, memoryEvent.Progress!.Processed));
        Assert.Empty(_jobs.Deletes);
        Assert.Equal(0, await harness.Service.CountAsync(Project, FilterScopes.Exact(Alice)));
    }

    [Theory]
    [InlineData(null, "positive", "memory_id")]
    [InlineData("", "positive", "memory_id")]
    [InlineData("00000000-0000-0000-0000-000000000001", "great", "feedback")]
    public async Task RecordFeedbackAsync_InvalidInput_Throws400NamingTheField(string? memoryId, string feedback, string field)
    {
        var (operations, _) = Create();

        var ex = await Assert.ThrowsAsync<ValidationException>(() => operations.RecordFeedbackAsync(Project, new FeedbackInput(memoryId, feedback, null)));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public async Task RecordFeedbackAsync_OnAMemory_KeepsAFeedbackEvent()
    {
        var (operations, _) = Create();
        var id = (await operations.AddAsync(Project, Add("I like green tea.") with { Infer = false })).Results[0].Id;

        var recorded = await operations.RecordFeedbackAsync(Project, new FeedbackInput(id, "negative", "wrong tea"));

        var stored = (await _events.GetAsync(Project, recorded.Id))!;
        Assert.Equal((EventTypes.Feedback, EventStatus.Succeeded, "NEGATIVE"), (stored.EventType, stored.Status, recorded.Feedback));
    }

    [Fact]
    public async Task EventLogGetAsync_UnknownEvent_ThrowsEventNotFound()
    {
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => new EventLog(_events).GetAsync(Project, "missing"));

        Assert.Equal(ResourceKind.Event, ex.Resource);
    }

    private static AddMemoriesRequest Add(params string[] messages) => new()
    {
        Messages = [.. messages.Select(m => new InputMessage("user", m))],
        Scope = Alice,
    };

    private static JsonElement Nested(int depth) =>
        JsonDocument.Parse(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)).RootElement;

    [Theory]
    [InlineData("not-a-uuid", "memories[1].memory_id should be a valid UUID")]
    [InlineData(" ", "memories[1].memory_id is required.")]
    public async Task BatchDeleteAsync_ItemIdNotAUuid_Throws400NamingTheItem_AndDeletesNothing(string badId, string message)
    {
        var (operations, harness) = Create();
        var kept = (await operations.AddAsync(Project, Add("I like green tea.") with { Infer = false })).Results.Single().Id;

        var ex = await Assert.ThrowsAsync<ValidationException>(() => operations.BatchDeleteAsync(Project, [kept, badId]));

        Assert.Equal(("memories[1].memory_id", message), (ex.Field, ex.Message));
        Assert.Equal(kept, (await harness.Service.GetAsync(Project, kept)).Id);
    }

    [Fact]
    public async Task BatchUpdateAsync_PaddedUuid_IsTrimmedAndApplied()
    {
        var (operations, harness) = Create();
        var id = (await operations.AddAsync(Project, Add("I like green tea.") with { Infer = false })).Results.Single().Id;

        var count = await operations.BatchUpdateAsync(Project, [new BatchUpdateItem($" {id} ", "I like black tea.", null)]);

        Assert.Equal(1, count);
        Assert.Equal("I like black tea.", (await harness.Service.GetAsync(Project, id)).Text);
    }

        private (MemoryOperations Operations, EngineHarness Harness) Create(ScriptedChatClient? chat = null)
    {
        var harness = new EngineHarness(new InMemoryMemoryStore(), chat);
        var operations = new MemoryOperations(harness.Service, new EventLifecycle(_events, harness.Time), _jobs, harness.Projects, harness.Time);
        return (operations, harness);
    }

    private sealed class RecordingScheduler : IJobScheduler
    {
        public List<(MemoryEvent Event, AddMemoriesRequest Request)> Adds { get; } = [];

        public List<(MemoryEvent Event, DeleteTarget Target)> Deletes { get; } = [];

        public Task ScheduleAddAsync(MemoryEvent memoryEvent, AddMemoriesRequest request, CancellationToken cancellationToken = default)
        {
            Adds.Add((memoryEvent, request));
            return Task.CompletedTask;
        }

        public Task ScheduleImportAsync(MemoryEvent memoryEvent, StagedImport import, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task ScheduleDeleteAsync(MemoryEvent memoryEvent, DeleteTarget target, CancellationToken cancellationToken = default)
        {
            Deletes.Add((memoryEvent, target));
            return Task.CompletedTask;
        }
    }
}
