using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;

namespace Mem0.Testing.Stores;

/// <summary>
/// The behaviour every <see cref="IMemoryStore"/> must show. Derive, return a fresh empty store from
/// <see cref="CreateStoreAsync"/>, and xunit runs every test against it.
/// </summary>
public abstract class MemoryStoreConformanceTests : IAsyncLifetime
{
    protected const string ProjectA = "proj-a";
    protected const string ProjectB = "proj-b";
    protected const string Model = "test-model";

    protected static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly DateOnly Today = new(2024, 6, 1);

    private IMemoryStore? _store;

    protected IMemoryStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<IMemoryStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ApplyAsync_Add_GetReturnsAllFields()
    {
        var memory = Memory("m1", "I like green tea", Vec(1, 0, 0, 0), new MemoryScope("u1", "a1", "app1", "r1")) with
        {
            Metadata = Json("""{"topic":"tea","n":2,"nested":{"k":[1,"x"]}}"""),
            Categories = ["food", "preferences"],
            Immutable = true,
            ExpirationDate = new DateOnly(2030, 1, 2),
        };

        await Store.ApplyAsync(ProjectA, new MemoryChangeSet { Added = [memory] });
        var stored = await Store.GetAsync(ProjectA, "m1");

        Assert.NotNull(stored);
        Assert.Equal(ProjectA, stored.ProjectId);
        Assert.Equal(memory.Text, stored.Text);
        Assert.Equal(memory.Hash, stored.Hash);
        Assert.Equal(memory.Embedding, stored.Embedding);
        Assert.Equal(Model, stored.EmbeddingModel);
        Assert.Equal(memory.Scope, stored.Scope);
        Assert.Equal(memory.Metadata!.Value.GetRawText(), stored.Metadata!.Value.GetRawText());
        Assert.Equal(memory.Categories, stored.Categories);
        Assert.True(stored.Immutable);
        Assert.Equal(memory.ExpirationDate, stored.ExpirationDate);
        Assert.Equal(memory.CreatedAt, stored.CreatedAt);
        Assert.Equal(memory.UpdatedAt, stored.UpdatedAt);
        Assert.False(string.IsNullOrEmpty(stored.ETag));
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync(ProjectA, "nope"));
    }

    [Fact]
    public async Task ApplyAsync_UpdateWithCurrentETag_ReplacesAndChangesETag()
    {
        await AddAsync(ProjectA, Memory("m1", "old", Vec(1, 0, 0, 0)));
        var current = (await Store.GetAsync(ProjectA, "m1"))!;

        await Store.ApplyAsync(ProjectA, new MemoryChangeSet
        {
            Updated = [current with { Text = "new", Hash = "h-new", UpdatedAt = T0.AddHours(1), Categories = ["x"] }],
        });

        var updated = (await Store.GetAsync(ProjectA, "m1"))!;
        Assert.Equal("new", updated.Text);
        Assert.Equal("h-new", updated.Hash);
        Assert.Equal(["x"], updated.Categories);
        Assert.Equal(T0.AddHours(1), updated.UpdatedAt);
        Assert.NotEqual(current.ETag, updated.ETag);
    }

    [Fact]
    public async Task ApplyAsync_StaleETagOnUpdate_ThrowsConflictAndWritesNothing()
    {
        await AddAsync(ProjectA, Memory("m1", "first", Vec(1, 0, 0, 0)));
        var stale = (await Store.GetAsync(ProjectA, "m1"))!;
        await Store.ApplyAsync(ProjectA, new MemoryChangeSet { Updated = [stale with { Text = "second" }] });

        var changes = new MemoryChangeSet
        {
            Added = [Memory("m2", "added in the failed set", Vec(0, 1, 0, 0))],
            Updated = [stale with { Text = "third" }],
            History = [History("h-fail", "m1", HistoryEvent.Update, T0.AddDays(1))],
        };

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.ApplyAsync(ProjectA, changes));
        Assert.Equal("second", (await Store.GetAsync(ProjectA, "m1"))!.Text);
        Assert.Null(await Store.GetAsync(ProjectA, "m2"));
        Assert.Empty(await Store.GetHistoryAsync(ProjectA, "m1"));
        var search = await Store.SearchAsync(ProjectA, Search(Vec(0, 1, 0, 0), FilterNode.All));
        Assert.DoesNotContain(search, hit => hit.Memory.Id == "m2");
    }

    [Fact]
    public async Task ApplyAsync_StaleETagOnDelete_ThrowsConflictAndKeepsMemory()
    {
        await AddAsync(ProjectA, Memory("m1", "first", Vec(1, 0, 0, 0)));
        var stale = (await Store.GetAsync(ProjectA, "m1"))!;
        await Store.ApplyAsync(ProjectA, new MemoryChangeSet { Updated = [stale with { Text = "second" }] });

        await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => Store.ApplyAsync(ProjectA, new MemoryChangeSet { Deleted = [stale] }));
        Assert.NotNull(await Store.GetAsync(ProjectA, "m1"));
    }

    [Fact]
    public async Task ApplyAsync_UpdateMissing_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<MemoryNotFoundException>(
            () => Store.ApplyAsync(ProjectA, new MemoryChangeSet { Updated = [Memory("ghost", "x", Vec(1, 0, 0, 0)) with { ETag = "1" }] }));
    }

    [Fact]
    public async Task ApplyAsync_DeleteMissing_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<MemoryNotFoundException>(
            () => Store.ApplyAsync(ProjectA, new MemoryChangeSet { Deleted = [Memory("ghost", "x", Vec(1, 0, 0, 0))] }));
    }

    [Fact]
    public async Task ApplyAsync_DeleteWithoutETag_Deletes()
    {
        await AddAsync(ProjectA, Memory("m1", "x", Vec(1, 0, 0, 0)));
        await Store.ApplyAsync(ProjectA, new MemoryChangeSet { Deleted = [Memory("m1", "x", Vec(1, 0, 0, 0))] });
        Assert.Null(await Store.GetAsync(ProjectA, "m1"));
        Assert.Empty(await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All)));
    }

    [Fact]
    public async Task GetManyAsync_ReturnsOnlyExisting()
    {
        await AddAsync(ProjectA, Memory("m1", "a", Vec(1, 0, 0, 0)), Memory("m2", "b", Vec(0, 1, 0, 0)), Memory("m3", "c", Vec(0, 0, 1, 0)));
        var many = await Store.GetManyAsync(ProjectA, ["m1", "m3", "missing"]);
        Assert.Equal(["m1", "m3"], many.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await Store.GetManyAsync(ProjectA, []));
    }

    [Fact]
    public async Task FindByHashAsync_MatchesExactScopeOnly()
    {
        await AddAsync(
            ProjectA,
            Memory("m1", "a", Vec(1, 0, 0, 0), new MemoryScope("u1")) with { Hash = "h1" },
            Memory("m2", "a", Vec(1, 0, 0, 0), new MemoryScope("u1", "a1")) with { Hash = "h1" },
            Memory("m3", "b", Vec(1, 0, 0, 0), new MemoryScope("u1")) with { Hash = "h2" },
            Memory("m4", "a", Vec(1, 0, 0, 0), new MemoryScope("u2")) with { Hash = "h1" });

        var found = await Store.FindByHashAsync(ProjectA, new MemoryScope("u1"), ["h1", "h2", "h9"]);
        Assert.Equal(["m1", "m3"], found.Select(m => m.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListAsync_NewestFirstThenIdDesc_ContinuationRoundTrip()
    {
        await AddAsync(
            ProjectA,
            Memory("a", "1", Vec(1, 0, 0, 0), createdAt: T0),
            Memory("b", "2", Vec(1, 0, 0, 0), createdAt: T0.AddMinutes(1)),
            Memory("c", "3", Vec(1, 0, 0, 0), createdAt: T0.AddMinutes(1)),
            Memory("d", "4", Vec(1, 0, 0, 0), createdAt: T0.AddMinutes(2)),
            Memory("e", "5", Vec(1, 0, 0, 0), createdAt: T0.AddMinutes(1)));

        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.ListAsync(ProjectA, new MemoryListQuery { Filter = FilterNode.All, PageSize = 2, ContinuationToken = token, Today = Today });
            ids.AddRange(page.Items.Select(m => m.Id));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(["d", "e", "c", "b", "a"], ids);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ListAsync_ExactPageSize_NoContinuation()
    {
        await AddAsync(ProjectA, Memory("a", "1", Vec(1, 0, 0, 0)), Memory("b", "2", Vec(1, 0, 0, 0)));
        var page = await Store.ListAsync(ProjectA, new MemoryListQuery { Filter = FilterNode.All, PageSize = 2, Today = Today });
        Assert.Equal(2, page.Items.Count);
        Assert.Null(page.ContinuationToken);
    }

    public static TheoryData<string, string> FilterCases() => new()
    {
        { """{"user_id":"u1"}""", "m1,m2" },
        { """{"user_id":{"ne":"u1"}}""", "m3,m4,m5" },
        { """{"user_id":{"in":["u1","u2"]}}""", "m1,m2,m3,m5" },
        { """{"user_id":{"nin":["u1"]}}""", "m3,m4,m5" },
        { """{"agent_id":"*"}""", "m1,m4" },
        { """{"run_id":"r1"}""", "m3" },
        { """{"app_id":"p1"}""", "m4" },
        { """{"created_at":{"gt":"2024-05-02T12:00:00Z"}}""", "m3,m4,m5" },
        { """{"created_at":{"gte":"2024-05-02T12:00:00Z","lt":"2024-05-04T12:00:00Z"}}""", "m2,m3" },
        { """{"created_at":{"lte":1714564800}}""", "m1" },
        { """{"created_at":{"in":["2024-05-03T12:00:00Z"]}}""", "m3" },
        { """{"updated_at":{"gte":"2024-05-04"}}""", "m4,m5" },
        { """{"categories":{"in":["food"]}}""", "m1,m2,m5" },
        { """{"categories":{"contains":"HEALTH"}}""", "m4" },
        { """{"categories":{"nin":["food"]}}""", "m3,m4" },
        { """{"metadata":{"topic":"coffee"}}""", "m1,m5" },
        { """{"metadata":{"topic":{"ne":"coffee"}}}""", "m2,m3,m4" },
        { """{"metadata":{"n":{"gt":1}}}""", "m2,m4" },
        { """{"metadata":{"n":{"lte":5}}}""", "m1,m2" },
        { """{"metadata":{"n":{"in":[1,10]}}}""", "m1,m4" },
        { """{"metadata":{"topic":{"contains":"off"}}}""", "m1,m5" },
        { """{"metadata":{"topic":{"icontains":"TRIP"}}}""", "m2" },
        { """{"metadata":{"tags":{"contains":"y"}}}""", "m1" },
        { """{"metadata":{"nested":{"k":"v"}}}""", "m4" },
        { """{"metadata.nested.k":"*"}""", "m4" },
        { """{"metadata":{"flag":true}}""", "m2" },
        { """{"keywords":"espresso"}""", "m1" },
        { """{"keywords":{"icontains":"espresso"}}""", "m1,m4" },
        { """{"memory_ids":["m2","m3","zz"]}""", "m2,m3" },
        { """{"OR":[{"run_id":"r1"},{"app_id":"p1"}]}""", "m3,m4" },
        { """{"AND":[{"user_id":"u1"},{"NOT":{"categories":{"in":["travel"]}}}]}""", "m1" },
        { """{"NOT":[{"user_id":"u1"},{"user_id":"u2"}]}""", "m4" },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public async Task ListAsync_Filter_MatchesExpected(string filter, string expected)
    {
        await SeedFilterDatasetAsync();
        var page = await Store.ListAsync(ProjectA, new MemoryListQuery { Filter = FilterParser.Parse(filter), IncludeExpired = true, Today = Today });
        Assert.Equal(expected.Split(','), page.Items.Select(m => m.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FilterCases))]
    public async Task SearchAsync_Filter_MatchesExpected(string filter, string expected)
    {
        await SeedFilterDatasetAsync();
        var hits = await Store.SearchAsync(ProjectA, Search(Vec(1, 1, 1, 1), FilterParser.Parse(filter)) with { TopK = 100, IncludeExpired = true });
        Assert.Equal(expected.Split(','), hits.Select(h => h.Memory.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CountAsync_FilterAndExpiry()
    {
        await SeedFilterDatasetAsync();
        Assert.Equal(3, await Store.CountAsync(ProjectA, FilterParser.Parse("""{"categories":{"in":["food"]}}"""), includeExpired: true, Today));
        Assert.Equal(2, await Store.CountAsync(ProjectA, FilterParser.Parse("""{"categories":{"in":["food"]}}"""), includeExpired: false, Today));
        Assert.Equal(4, await Store.CountAsync(ProjectA, FilterNode.All, includeExpired: false, Today));
    }

    [Fact]
    public async Task ListAsync_Expired_HiddenUnlessIncluded()
    {
        await SeedFilterDatasetAsync();
        var hidden = await Store.ListAsync(ProjectA, new MemoryListQuery { Filter = FilterNode.All, Today = Today });
        var shown = await Store.ListAsync(ProjectA, new MemoryListQuery { Filter = FilterNode.All, Today = Today, IncludeExpired = true });
        Assert.DoesNotContain(hidden.Items, m => m.Id == "m5");
        Assert.Contains(shown.Items, m => m.Id == "m5");
    }

    [Fact]
    public async Task ListAsync_ExpiringToday_NotExpired()
    {
        await AddAsync(ProjectA, Memory("m1", "x", Vec(1, 0, 0, 0)) with { ExpirationDate = Today });
        var page = await Store.ListAsync(ProjectA, new MemoryListQuery { Filter = FilterNode.All, Today = Today });
        Assert.Single(page.Items);
    }

    [Fact]
    public async Task SearchAsync_OrdersBySimilarity_ScoresInUnitRange()
    {
        await AddAsync(
            ProjectA,
            Memory("far", "far", Vec(0, 0, 1, 0)),
            Memory("near", "near", Vec(1, 0.1f, 0, 0)),
            Memory("mid", "mid", Vec(1, 1, 0, 0)),
            Memory("opposite", "opposite", Vec(-1, 0, 0, 0)));

        var hits = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All));

        Assert.Equal(["near", "mid", "far", "opposite"], hits.Select(h => h.Memory.Id));
        Assert.All(hits, h => Assert.InRange(h.Score, 0.0, 1.0));
        Assert.Equal(0.0, hits[^1].Score);
        Assert.True(hits[0].Score > hits[1].Score);
        Assert.InRange(hits[0].Score, 0.99, 1.0);
        Assert.Equal(Vec(1, 0.1f, 0, 0), hits[0].Memory.Embedding);
    }

    [Fact]
    public async Task SearchAsync_TopK_Limits()
    {
        await AddAsync(ProjectA, Enumerable.Range(0, 20).Select(i => Memory("m" + i, "t" + i, Vec(1, i, 0, 0))).ToArray());
        var hits = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All) with { TopK = 3 });
        Assert.Equal(["m0", "m1", "m2"], hits.Select(h => h.Memory.Id));
    }

    [Fact]
    public async Task SearchAsync_Expired_HiddenUnlessIncluded()
    {
        await AddAsync(ProjectA, Memory("old", "x", Vec(1, 0, 0, 0)) with { ExpirationDate = Today.AddDays(-1) }, Memory("new", "y", Vec(0, 1, 0, 0)));
        var hidden = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All));
        var shown = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All) with { IncludeExpired = true });
        Assert.Equal(["new"], hidden.Select(h => h.Memory.Id));
        Assert.Equal(["old", "new"], shown.Select(h => h.Memory.Id));
    }

    [Fact]
    public async Task SearchAsync_OtherEmbeddingModel_Excluded()
    {
        await AddAsync(ProjectA, Memory("mine", "x", Vec(0, 1, 0, 0)), Memory("other", "y", Vec(1, 0, 0, 0)) with { EmbeddingModel = "other-model" });
        var hits = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All));
        Assert.Equal(["mine"], hits.Select(h => h.Memory.Id));
    }

    [Fact]
    public async Task SearchAsync_KeywordSearch_MovesExactKeywordMatchUp()
    {
        await AddAsync(
            ProjectA,
            Memory("best", "likes hiking in the alps", Vec(1, 0.05f, 0, 0)),
            Memory("b", "enjoys long walks", Vec(1, 0.2f, 0, 0)),
            Memory("c", "goes running on sundays", Vec(1, 0.3f, 0, 0)),
            Memory("d", "cycles to work", Vec(1, 0.4f, 0, 0)),
            Memory("keyword", "owns a zebra named Stripes", Vec(1, 0.8f, 0, 0)));
        var plain = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All) with { QueryText = "zebra", Signals = SearchSignals.Vector });
        var fused = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All) with { QueryText = "zebra", KeywordSearch = true });

        Assert.Equal("keyword", plain[^1].Memory.Id);
        Assert.Equal("keyword", fused[0].Memory.Id);

        // The score stays the semantic similarity, whatever the fused order.
        Assert.Equal(plain[^1].Score, fused[0].Score, 5);
    }

    [Fact]
    public async Task SearchAsync_QueryNamingAPeriod_MovesAnInPeriodMemoryUpAndDropsNone()
    {
        var july = new DateTimeOffset(2023, 7, 14, 9, 0, 0, TimeSpan.Zero);
        await AddAsync(
            ProjectA,
            Memory("a", "walked by the river", Vec(1, 0.05f, 0, 0)),
            Memory("b", "painted the fence", Vec(1, 0.2f, 0, 0)),
            Memory("c", "baked bread", Vec(1, 0.3f, 0, 0)),
            Memory("then", "went to a concert", Vec(1, 0.6f, 0, 0)) with { CreatedAt = july, UpdatedAt = july });
        const string question = "What happened in July 2023?";
        var plain = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All) with { QueryText = question, Signals = SearchSignals.Vector });
        var dated = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All) with { QueryText = question });

        Assert.Equal("then", plain[^1].Memory.Id);
        Assert.Equal("then", dated[0].Memory.Id);

        // A ranking signal, never a filter: the memories from other times are all still there.
        Assert.Equal(["a", "b", "c", "then"], dated.Select(h => h.Memory.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SearchAsync_KeywordSearch_RespectsFilter()
    {
        await AddAsync(
            ProjectA,
            Memory("mine", "has a zebra", Vec(0, 1, 0, 0), new MemoryScope("u1")),
            Memory("theirs", "has a zebra too", Vec(1, 0, 0, 0), new MemoryScope("u2")));
        var hits = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterScopes.ForScope(new MemoryScope("u1"))) with { QueryText = "zebra", KeywordSearch = true });
        Assert.Equal(["mine"], hits.Select(h => h.Memory.Id));
    }

    [Fact]
    public async Task SearchAsync_SeesUpdatesAndDeletes()
    {
        await AddAsync(ProjectA, Memory("m1", "x", Vec(1, 0, 0, 0)), Memory("m2", "y", Vec(0, 1, 0, 0)));
        _ = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All));
        var m1 = (await Store.GetAsync(ProjectA, "m1"))!;
        var m2 = (await Store.GetAsync(ProjectA, "m2"))!;
        await Store.ApplyAsync(ProjectA, new MemoryChangeSet
        {
            Updated = [m1 with { Text = "moved", Embedding = Vec(0, 0, 1, 0) }],
            Deleted = [m2],
            Added = [Memory("m3", "z", Vec(1, 0.1f, 0, 0))],
        });

        var hits = await Store.SearchAsync(ProjectA, Search(Vec(1, 0, 0, 0), FilterNode.All));
        Assert.Equal(["m3", "m1"], hits.Select(h => h.Memory.Id));
        Assert.Equal("moved", hits[1].Memory.Text);
        Assert.NotEqual(m1.ETag, hits[1].Memory.ETag);
    }

    [Fact]
    public async Task GetHistoryAsync_OldestFirst_SurvivesDelete()
    {
        var memory = Memory("m1", "v1", Vec(1, 0, 0, 0));
        await Store.ApplyAsync(ProjectA, new MemoryChangeSet
        {
            Added = [memory],
            History = [History("h1", "m1", HistoryEvent.Add, T0) with { NewMemory = "v1", Input = [new InputMessage("user", "hi")] }],
        });
        var current = (await Store.GetAsync(ProjectA, "m1"))!;
        await Store.ApplyAsync(ProjectA, new MemoryChangeSet
        {
            Updated = [current with { Text = "v2" }],
            History = [History("h2", "m1", HistoryEvent.Update, T0.AddMinutes(5)) with { OldMemory = "v1", NewMemory = "v2" }],
        });
        current = (await Store.GetAsync(ProjectA, "m1"))!;
        await Store.ApplyAsync(ProjectA, new MemoryChangeSet
        {
            Deleted = [current],
            History = [History("h3", "m1", HistoryEvent.Delete, T0.AddMinutes(10)) with { OldMemory = "v2" }],
        });

        var history = await Store.GetHistoryAsync(ProjectA, "m1");
        Assert.Equal(["h1", "h2", "h3"], history.Select(h => h.Id));
        Assert.Equal([HistoryEvent.Add, HistoryEvent.Update, HistoryEvent.Delete], history.Select(h => h.Event));
        Assert.Equal("v1", history[1].OldMemory);
        Assert.Equal("v2", history[1].NewMemory);
        Assert.Equal("hi", Assert.Single(history[0].Input).Content);
        Assert.Equal(new MemoryScope("u1"), history[0].Scope);
        Assert.Equal(T0.AddMinutes(5), history[1].CreatedAt);
    }

    [Fact]
    public async Task ListEntitiesAsync_CountsPerTypeAndName()
    {
        await AddAsync(
            ProjectA,
            Memory("m1", "a", Vec(1, 0, 0, 0), new MemoryScope("u1", "a1")),
            Memory("m2", "b", Vec(1, 0, 0, 0), new MemoryScope("u1"), createdAt: T0.AddDays(1)),
            Memory("m3", "c", Vec(1, 0, 0, 0), new MemoryScope(AgentId: "a1", RunId: "r1")),
            Memory("m4", "d", Vec(1, 0, 0, 0), new MemoryScope(AppId: "p1")));

        var entities = await Store.ListEntitiesAsync(ProjectA);
        var byKey = entities.ToDictionary(e => (e.Type, e.Name));

        Assert.Equal(4, entities.Count);
        Assert.Equal(2, byKey[(EntityType.User, "u1")].TotalMemories);
        Assert.Equal(2, byKey[(EntityType.Agent, "a1")].TotalMemories);
        Assert.Equal(1, byKey[(EntityType.App, "p1")].TotalMemories);
        Assert.Equal(1, byKey[(EntityType.Run, "r1")].TotalMemories);
        Assert.Equal(T0, byKey[(EntityType.User, "u1")].CreatedAt);
        Assert.Equal(T0.AddDays(1).AddHours(1), byKey[(EntityType.User, "u1")].UpdatedAt);
    }

    [Fact]
    public async Task ProjectIsolation_ProjectBSeesNothingOfA()
    {
        await AddAsync(ProjectA, Memory("m1", "secret of A", Vec(1, 0, 0, 0)) with { Hash = "ha" });
        await Store.ApplyAsync(ProjectA, new MemoryChangeSet { History = [History("h1", "m1", HistoryEvent.Add, T0)] });

        Assert.Null(await Store.GetAsync(ProjectB, "m1"));
        Assert.Empty(await Store.GetManyAsync(ProjectB, ["m1"]));
        Assert.Empty(await Store.FindByHashAsync(ProjectB, new MemoryScope("u1"), ["ha"]));
        Assert.Empty((await Store.ListAsync(ProjectB, new MemoryListQuery { Filter = FilterNode.All, Today = Today })).Items);
        Assert.Equal(0, await Store.CountAsync(ProjectB, FilterNode.All, includeExpired: true, Today));
        Assert.Empty(await Store.SearchAsync(ProjectB, Search(Vec(1, 0, 0, 0), FilterNode.All) with { QueryText = "secret", KeywordSearch = true }));
        Assert.Empty(await Store.GetHistoryAsync(ProjectB, "m1"));
        Assert.Empty(await Store.ListEntitiesAsync(ProjectB));
        await Assert.ThrowsAsync<MemoryNotFoundException>(
            () => Store.ApplyAsync(ProjectB, new MemoryChangeSet { Deleted = [Memory("m1", "x", Vec(1, 0, 0, 0))] }));
        Assert.NotNull(await Store.GetAsync(ProjectA, "m1"));
    }

    [Fact]
    public async Task ProjectIsolation_SameIdInTwoProjects_Independent()
    {
        await AddAsync(ProjectA, Memory("m1", "in A", Vec(1, 0, 0, 0)));
        await AddAsync(ProjectB, Memory("m1", "in B", Vec(1, 0, 0, 0)));
        Assert.Equal("in A", (await Store.GetAsync(ProjectA, "m1"))!.Text);
        Assert.Equal("in B", (await Store.GetAsync(ProjectB, "m1"))!.Text);
    }

    protected async Task SeedFilterDatasetAsync()
    {
        await AddAsync(
            ProjectA,
            Memory("m1", "Likes espresso", Vec(1, 0, 0, 0), new MemoryScope("u1", "a1"), createdAt: T0) with
            {
                Categories = ["food"],
                Metadata = Json("""{"topic":"coffee","n":1,"tags":["x","y"]}"""),
            },
            Memory("m2", "Visited Paris", Vec(0, 1, 0, 0), new MemoryScope("u1"), createdAt: T0.AddDays(1)) with
            {
                Categories = ["travel", "Food"],
                Metadata = Json("""{"topic":"trips","n":5,"flag":true}"""),
            },
            Memory("m3", "Allergic to peanuts", Vec(0, 0, 1, 0), new MemoryScope("u2", RunId: "r1"), createdAt: T0.AddDays(2)),
            Memory("m4", "Prefers ESPRESSO at night", Vec(0, 0, 0, 1), new MemoryScope(AgentId: "a1", AppId: "p1"), createdAt: T0.AddDays(3)) with
            {
                Categories = ["health"],
                Metadata = Json("""{"n":10,"nested":{"k":"v"},"flag":false}"""),
            },
            Memory("m5", "Old fact", Vec(1, 1, 0, 0), new MemoryScope("u2"), createdAt: T0.AddDays(4)) with
            {
                Categories = ["food"],
                Metadata = Json("""{"topic":"coffee"}"""),
                ExpirationDate = Today.AddDays(-1),
            });
    }

    protected Task AddAsync(string projectId, params MemoryRecord[] memories) =>
        Store.ApplyAsync(projectId, new MemoryChangeSet { Added = memories.Select(m => m with { ProjectId = projectId }).ToList() });

    protected static MemoryRecord Memory(string id, string text, float[] embedding, MemoryScope? scope = null, DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        ProjectId = ProjectA,
        Text = text,
        Hash = "hash-" + text,
        Embedding = embedding,
        EmbeddingModel = Model,
        Scope = scope ?? new MemoryScope("u1"),
        CreatedAt = createdAt ?? T0,
        UpdatedAt = (createdAt ?? T0).AddHours(1),
    };

    protected static HistoryEntry History(string id, string memoryId, HistoryEvent historyEvent, DateTimeOffset at) => new()
    {
        Id = id,
        ProjectId = ProjectA,
        MemoryId = memoryId,
        Event = historyEvent,
        Scope = new MemoryScope("u1"),
        Actor = "test",
        CreatedAt = at,
        UpdatedAt = at,
    };

    protected static MemorySearchQuery Search(float[] vector, FilterNode filter) => new()
    {
        Filter = filter,
        Vector = vector,
        EmbeddingModel = Model,
        QueryText = "",
        TopK = 10,
        Today = Today,
    };

    /// <summary>An L2-normalised vector.</summary>
    protected static float[] Vec(params float[] values)
    {
        var norm = MathF.Sqrt(values.Sum(v => v * v));
        return values.Select(v => v / norm).ToArray();
    }

    protected static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
