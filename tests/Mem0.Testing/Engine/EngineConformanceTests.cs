using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Testing.AI;
using Mem0.Testing.Stores;
using Microsoft.Extensions.AI;

namespace Mem0.Testing.Engine;

/// <summary>
/// The engine's behaviour over any <see cref="IMemoryStore"/>. Derive once per store implementation and return
/// a fresh, empty store from <see cref="CreateStore"/>.
/// </summary>
public abstract class EngineConformanceTests
{
    private const string Fact = "I love eating pizza on Fridays.";
    private const string ExtractedFact = "Loves eating pizza on Fridays";

    protected abstract IMemoryStore CreateStore();

    protected EngineHarness CreateHarness(IChatClient? chatClient = null) => new(CreateStore(), chatClient);

    /// <summary>The event store whose pending DELETE events hide scopes from reads; the in-memory one unless overridden.</summary>
    protected virtual IEventStore CreateEventStore() => new InMemoryEventStore();

    private static readonly MemoryScope Alice = new(UserId: "alice");
    private static readonly MemoryScope Bob = new(UserId: "bob");

    [Fact]
    public async Task AddAsync_TwentyParallelAddsOfOneFactWithHeuristic_LeavesOneMemory()
    {
        var harness = CreateHarness();

        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => harness.Service.AddAsync(EngineHarness.Add(Alice, Fact)))));

        var all = await ListAllAsync(harness, Alice);
        Assert.Single(all);
        Assert.Equal(1, results.Sum(r => r.Results.Count(o => o.Event == MemoryOperation.Add)));
        Assert.All(results, r => Assert.Equal("heuristic", r.Extractor));
    }

    [Fact]
    public async Task AddAsync_TwentyParallelAddsOfOneFactWithScriptedLlm_LeavesOneMemory()
    {
        var chat = new ScriptedChatClient(messages =>
        {
            var user = string.Join('\n', messages.Where(m => m.Role == ChatRole.User).Select(m => m.Text));
            return user.Contains(ExtractedFact, StringComparison.Ordinal)
                ? """{"memory": [{"event": "NONE", "id": "0"}]}"""
                : $$"""{"memory": [{"event": "ADD", "text": "{{ExtractedFact}}", "categories": ["food"]}]}""";
        });
        var harness = CreateHarness(chat);

        await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => harness.Service.AddAsync(EngineHarness.Add(Alice, Fact)))));

        var memory = Assert.Single(await ListAllAsync(harness, Alice));
        Assert.Equal(ExtractedFact, memory.Text);
        Assert.Equal(["food"], memory.Categories);
        Assert.Equal(20, chat.CallCount);
    }

    [Fact]
    public async Task AddUpdateDelete_DirectEdits_KeepHistoryInOrder()
    {
        var harness = CreateHarness();
        var added = await harness.Service.AddAsync(EngineHarness.Add(Alice, "Lives in Paris") with { Infer = false });
        var id = Assert.Single(added.Results).Id;

        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var updated = await harness.Service.UpdateAsync(EngineHarness.ProjectId, id, new UpdateMemoryRequest { Text = "Lives in Berlin" });
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.Service.DeleteAsync(EngineHarness.ProjectId, id);

        Assert.Equal("Lives in Berlin", updated.Text);
        var history = await harness.Service.GetHistoryAsync(EngineHarness.ProjectId, id);
        Assert.Equal([HistoryEvent.Add, HistoryEvent.Update, HistoryEvent.Delete], history.Select(h => h.Event));
        Assert.Equal("Lives in Paris", history[1].OldMemory);
        Assert.Equal("Lives in Berlin", history[1].NewMemory);
        Assert.Equal("Lives in Berlin", history[2].OldMemory);
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => harness.Service.GetAsync(EngineHarness.ProjectId, id));
    }

    [Fact]
    public async Task UpdateAsync_TextChanges_ReEmbedsAndMergesMetadata()
    {
        var harness = CreateHarness();
        var request = EngineHarness.Add(Alice, "Plays tennis") with
        {
            Infer = false,
            Metadata = JsonDocument.Parse("""{"source": "chat", "level": 1}""").RootElement,
        };
        var id = (await harness.Service.AddAsync(request)).Results[0].Id;

        var updated = await harness.Service.UpdateAsync(EngineHarness.ProjectId, id, new UpdateMemoryRequest
        {
            Text = "Plays squash",
            Metadata = JsonDocument.Parse("""{"level": 2}""").RootElement,
        });

        Assert.Equal(ContentHash.Compute("Plays squash"), updated.Hash);
        Assert.Equal(harness.Embeddings.Embed("Plays squash"), updated.Embedding);
        Assert.Equal("chat", updated.Metadata!.Value.GetProperty("source").GetString());
        Assert.Equal(2, updated.Metadata!.Value.GetProperty("level").GetInt32());
    }

    [Fact]
    public async Task DeleteAllAsync_ByScope_LeavesOtherScopes()
    {
        var harness = CreateHarness();
        var many = Enumerable.Range(0, 250).Select(i => $"Alice fact number {i}").ToArray();
        await harness.Service.AddAsync(EngineHarness.Add(Alice, many) with { Infer = false });
        await harness.Service.AddAsync(EngineHarness.Add(Bob, "Bob likes chess") with { Infer = false });

        var deleted = await harness.Service.DeleteAllAsync(EngineHarness.ProjectId, FilterScopes.Entity(EntityType.User, "alice"));

        Assert.Equal(250, deleted);
        Assert.Empty(await ListAllAsync(harness, Alice));
        Assert.Single(await ListAllAsync(harness, Bob));
    }

    [Fact]
    public async Task DeleteEntityAsync_User_DeletesOnlyThatUser()
    {
        var harness = CreateHarness();
        await harness.Service.AddAsync(EngineHarness.Add(Alice, "Alice likes tea") with { Infer = false });
        await harness.Service.AddAsync(EngineHarness.Add(Bob, "Bob likes chess") with { Infer = false });

        var deleted = await harness.Service.DeleteEntityAsync(EngineHarness.ProjectId, EntityType.User, "alice");

        Assert.Equal(1, deleted);
        var entities = await harness.Service.ListEntitiesAsync(EngineHarness.ProjectId);
        var bob = Assert.Single(entities);
        Assert.Equal((EntityType.User, "bob", 1), (bob.Type, bob.Name, bob.TotalMemories));
    }

    [Fact]
    public async Task SearchAsync_MatchingMemory_RanksItFirstWithScoreInRange()
    {
        var harness = CreateHarness();
        await harness.Service.AddAsync(EngineHarness.Add(Alice, "Likes hiking in the mountains", "Works as a nurse in Lyon", "Has a cat called Miso") with { Infer = false });

        var hits = await harness.Service.SearchAsync(new SearchMemoriesRequest
        {
            ProjectId = EngineHarness.ProjectId,
            Query = "cat called Miso",
            Filter = FilterScopes.Entity(EntityType.User, "alice"),
            Threshold = 0,
        });

        Assert.Equal("Has a cat called Miso", hits[0].Memory.Text);
        Assert.All(hits, h => Assert.InRange(h.Score, 0, 1));
        Assert.True(hits[0].Score > hits[^1].Score);
    }

    [Fact]
    public async Task SearchAsync_KeywordSearch_ReturnsTopKFromTheScopeOnly()
    {
        var harness = CreateHarness();
        await harness.Service.AddAsync(EngineHarness.Add(Alice, "Drinks espresso every morning", "Owns a red bicycle", "Reads science fiction") with { Infer = false });
        await harness.Service.AddAsync(EngineHarness.Add(Bob, "Drinks espresso at night") with { Infer = false });

        var hits = await harness.Service.SearchAsync(new SearchMemoriesRequest
        {
            ProjectId = EngineHarness.ProjectId,
            Query = "espresso",
            Filter = FilterScopes.Entity(EntityType.User, "alice"),
            TopK = 2,
            Threshold = 0,
            KeywordSearch = true,
        });

        Assert.Equal(2, hits.Count);
        Assert.Equal("Drinks espresso every morning", hits[0].Memory.Text);
        Assert.All(hits, h => Assert.Equal("alice", h.Memory.Scope.UserId));
    }

    [Fact]
    public async Task SearchAsync_ExpiredMemory_HiddenUnlessShowExpired()
    {
        var harness = CreateHarness();
        await harness.Service.AddAsync(EngineHarness.Add(Alice, "Is staying at the Hilton hotel") with
        {
            Infer = false,
            ExpirationDate = DateOnly.FromDateTime(EngineHarness.Start.UtcDateTime).AddDays(1),
        });
        harness.Time.Advance(TimeSpan.FromDays(3));
        var request = new SearchMemoriesRequest
        {
            ProjectId = EngineHarness.ProjectId,
            Query = "Hilton hotel",
            Filter = FilterScopes.Entity(EntityType.User, "alice"),
            Threshold = 0,
        };

        var hidden = await harness.Service.SearchAsync(request);
        var shown = await harness.Service.SearchAsync(request with { ShowExpired = true });

        Assert.Empty(hidden);
        Assert.Single(shown);
    }

    [Fact]
    public async Task ListAsync_Paged_ReturnsTotalCountAndNewestFirst()
    {
        var harness = CreateHarness();
        for (var i = 0; i < 5; i++)
        {
            await harness.Service.AddAsync(EngineHarness.Add(Alice, $"Fact {i}") with { Infer = false });
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await harness.Service.ListAsync(new ListMemoriesRequest
        {
            ProjectId = EngineHarness.ProjectId,
            Filter = FilterScopes.Entity(EntityType.User, "alice"),
            PageSize = 2,
        });

        Assert.Equal(5, first.TotalCount);
        Assert.Equal(["Fact 4", "Fact 3"], first.Items.Select(m => m.Text));
        Assert.NotNull(first.ContinuationToken);
    }

    [Fact]
    public async Task BatchUpdateAsync_ValidItems_AppliesAllWithHistory()
    {
        var harness = CreateHarness();
        var ids = (await harness.Service.AddAsync(EngineHarness.Add(Alice, "One", "Two") with { Infer = false })).Results.Select(r => r.Id).ToList();

        var count = await harness.Service.BatchUpdateAsync(EngineHarness.ProjectId, [new(ids[0], "Uno", null), new(ids[1], "Dos", null)]);

        Assert.Equal(2, count);
        Assert.Equal("Uno", (await harness.Service.GetAsync(EngineHarness.ProjectId, ids[0])).Text);
        Assert.Equal(HistoryEvent.Update, (await harness.Service.GetHistoryAsync(EngineHarness.ProjectId, ids[1]))[^1].Event);
    }

    [Fact]
    public async Task BatchUpdateAsync_OneMissing_WritesNothing()
    {
        var harness = CreateHarness();
        var id = (await harness.Service.AddAsync(EngineHarness.Add(Alice, "One") with { Infer = false })).Results[0].Id;

        await Assert.ThrowsAsync<MemoryNotFoundException>(() =>
            harness.Service.BatchUpdateAsync(EngineHarness.ProjectId, [new(id, "Uno", null), new("missing", "Dos", null)]));

        Assert.Equal("One", (await harness.Service.GetAsync(EngineHarness.ProjectId, id)).Text);
    }

    [Fact]
    public async Task BatchDeleteAsync_Ids_DeletesThemWithHistory()
    {
        var harness = CreateHarness();
        var ids = (await harness.Service.AddAsync(EngineHarness.Add(Alice, "One", "Two", "Three") with { Infer = false })).Results.Select(r => r.Id).ToList();

        var count = await harness.Service.BatchDeleteAsync(EngineHarness.ProjectId, ids.Take(2).ToList());

        Assert.Equal(2, count);
        Assert.Single(await ListAllAsync(harness, Alice));
        Assert.Equal(HistoryEvent.Delete, (await harness.Service.GetHistoryAsync(EngineHarness.ProjectId, ids[0]))[^1].Event);
    }

    [Fact]
    public async Task BatchDeleteAsync_MoreThanMaximum_ThrowsValidation()
    {
        var harness = CreateHarness();

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            harness.Service.BatchDeleteAsync(EngineHarness.ProjectId, Enumerable.Range(0, 1001).Select(i => $"m{i}").ToList()));

        Assert.Equal("memories", ex.Field);
    }

    [Fact]
    public async Task PendingScopeDelete_HidesTheScopeFromSearchListAndGet_UntilItsEventEnds()
    {
        var events = CreateEventStore();
        var harness = new EngineHarness(CreateStore(), pendingDeletes: new EventPendingDeletes(events));
        var doomed = await AddVerbatimAsync(harness, new MemoryScope(UserId: "alice", RunId: "thread-1"), "Alice is planning a trip to Kyoto.");
        var kept = await AddVerbatimAsync(harness, new MemoryScope(UserId: "alice", RunId: "thread-2"), "Alice is planning a trip to Oslo.");
        var agentOnly = await AddVerbatimAsync(harness, new MemoryScope(AgentId: "planner"), "The planner books trips to Kyoto.");
        var deleteEvent = new MemoryEvent
        {
            Id = "delete-1",
            ProjectId = EngineHarness.ProjectId,
            EventType = EventPendingDeletes.EventType,
            Status = EventStatus.Pending,
            Payload = EventPendingDeletes.Marker(new DeleteTarget(UserId: "alice", RunId: "thread-1")),
            CreatedAt = EngineHarness.Start,
            UpdatedAt = EngineHarness.Start,
        };
        await events.CreateAsync(deleteEvent);

        var pendingSearch = await SearchTripsAsync(harness, FilterScopes.Entity(EntityType.User, "alice"));
        var pendingList = await harness.Service.ListAsync(new ListMemoriesRequest { ProjectId = EngineHarness.ProjectId, Filter = FilterScopes.Entity(EntityType.User, "alice") });
        await Assert.ThrowsAsync<MemoryNotFoundException>(() => harness.Service.GetAsync(EngineHarness.ProjectId, doomed));
        var agentSearch = await SearchTripsAsync(harness, FilterScopes.Entity(EntityType.Agent, "planner"));
        await events.UpdateAsync(deleteEvent with { Status = EventStatus.Running });
        var runningList = await ListAllAsync(harness, new MemoryScope(UserId: "alice", RunId: "thread-1"));
        await events.UpdateAsync(deleteEvent with { Status = EventStatus.Failed, CompletedAt = EngineHarness.Start });
        var afterEnd = await harness.Service.GetAsync(EngineHarness.ProjectId, doomed);

        Assert.Equal([kept], pendingSearch.Select(h => h.Memory.Id));
        Assert.Equal([kept], pendingList.Items.Select(m => m.Id));
        Assert.Equal(1, pendingList.TotalCount);
        Assert.Equal([agentOnly], agentSearch.Select(h => h.Memory.Id));
        Assert.Empty(runningList);
        Assert.Equal(doomed, afterEnd.Id);
    }

    [Fact]
    public async Task PendingEntityDelete_HidesEveryScopeOfThatEntityOnly()
    {
        var events = CreateEventStore();
        var harness = new EngineHarness(CreateStore(), pendingDeletes: new EventPendingDeletes(events));
        await AddVerbatimAsync(harness, new MemoryScope(UserId: "alice", RunId: "thread-1"), "Alice is planning a trip to Kyoto.");
        await AddVerbatimAsync(harness, new MemoryScope(UserId: "alice", AgentId: "planner"), "Alice is planning a trip to Oslo.");
        var bobs = await AddVerbatimAsync(harness, new MemoryScope(UserId: "bob"), "Bob is planning a trip to Lima.");
        await events.CreateAsync(new MemoryEvent
        {
            Id = "delete-2",
            ProjectId = EngineHarness.ProjectId,
            EventType = EventPendingDeletes.EventType,
            Status = EventStatus.Running,
            Payload = EventPendingDeletes.Marker(new DeleteTarget(EntityType: nameof(EntityType.User), EntityName: "alice")),
            CreatedAt = EngineHarness.Start,
            UpdatedAt = EngineHarness.Start,
        });

        var all = await SearchTripsAsync(harness, new OrFilter([FilterScopes.Entity(EntityType.User, "alice"), FilterScopes.Entity(EntityType.User, "bob")]));

        Assert.Equal([bobs], all.Select(h => h.Memory.Id));
    }

    private static async Task<string> AddVerbatimAsync(EngineHarness harness, MemoryScope scope, string text) =>
        (await harness.Service.AddAsync(EngineHarness.Add(scope, text) with { Infer = false })).Results[0].Id;

    private static Task<IReadOnlyList<ScoredMemory>> SearchTripsAsync(EngineHarness harness, FilterNode filter) =>
        harness.Service.SearchAsync(new SearchMemoriesRequest { ProjectId = EngineHarness.ProjectId, Query = "trip to Kyoto", Filter = filter, Threshold = 0 });

    protected static async Task<IReadOnlyList<MemoryRecord>> ListAllAsync(EngineHarness harness, MemoryScope scope)
    {
        var page = await harness.Service.ListAsync(new ListMemoriesRequest
        {
            ProjectId = EngineHarness.ProjectId,
            Filter = FilterScopes.Exact(scope),
            PageSize = 1000,
            ShowExpired = true,
        });
        return page.Items;
    }
}
