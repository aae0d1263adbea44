using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;
using Mem0.Local.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Local.Tests.Storage;

public sealed class SqliteMemoryStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2024, 6, 1);

    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task OpenAsync_NewDatabase_RecordsSchemaVersionAndWal()
    {
        await using var connection = await _database.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_version; PRAGMA journal_mode;";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(SqliteSchema.LatestVersion, reader.GetInt32(0));
        await reader.NextResultAsync();
        await reader.ReadAsync();
        Assert.Equal("wal", reader.GetString(0));
    }

    [Fact]
    public async Task SearchAsync_NewStoreOnSameFile_LoadsIndexFromDisk()
    {
        var first = NewStore();
        await first.ApplyAsync("p", new MemoryChangeSet { Added = [Memory("m1", "persisted", [1, 0, 0])] });

        using var reopened = new SqliteTestDatabaseAt(_database.FilePath);
        var second = new SqliteMemoryStore(reopened.Database, NullLogger<SqliteMemoryStore>.Instance);
        var hits = await second.SearchAsync("p", Query([1, 0, 0], FilterNode.All));

        Assert.Equal("persisted", Assert.Single(hits).Memory.Text);
    }

    [Fact]
    public async Task ListAsync_ValuesWithSqlCharacters_AreParameters()
    {
        var store = NewStore();
        await store.ApplyAsync("p", new MemoryChangeSet
        {
            Added = [Memory("m1", "it's a \"quote\"; DROP TABLE memories; --", [1, 0, 0]) with { Scope = new MemoryScope("o'brien") }],
        });

        var filter = FilterParser.Parse("""{"user_id":"o'brien","keywords":{"contains":"\"quote\"; DROP"}}""");
        var page = await store.ListAsync("p", new MemoryListQuery { Filter = filter, Today = Today });

        Assert.Single(page.Items);
        Assert.Equal(1, await store.CountAsync("p", FilterNode.All, includeExpired: true, Today));
    }

    [Fact]
    public async Task ListAsync_BadContinuationToken_ThrowsValidation()
    {
        var store = NewStore();
        var error = await Assert.ThrowsAsync<ValidationException>(
            () => store.ListAsync("p", new MemoryListQuery { Filter = FilterNode.All, ContinuationToken = "not-a-token!", Today = Today }));
        Assert.Equal("continuation_token", error.Field);
    }

    [Fact]
    public async Task ListAsync_MetadataKeyWithQuote_ThrowsFilterValidation()
    {
        var store = NewStore();
        var filter = new ConditionFilter(FilterField.Metadata("a\"b"), FilterOperator.Eq, new StringValue("x"));
        await Assert.ThrowsAsync<FilterValidationException>(
            () => store.ListAsync("p", new MemoryListQuery { Filter = filter, Today = Today }));
    }

    [Fact]
    public async Task ApplyAsync_AddExistingId_ThrowsConflictAndWritesNothing()
    {
        var store = NewStore();
        await store.ApplyAsync("p", new MemoryChangeSet { Added = [Memory("m1", "one", [1, 0, 0])] });
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.ApplyAsync("p", new MemoryChangeSet
        {
            Added = [Memory("m2", "two", [0, 1, 0]), Memory("m1", "again", [1, 0, 0])],
        }));
        Assert.Null(await store.GetAsync("p", "m2"));
    }

    [Fact]
    public async Task SearchAsync_KeywordQueryWithFtsSyntax_IsInert()
    {
        var store = NewStore();
        await store.ApplyAsync("p", new MemoryChangeSet { Added = [Memory("m1", "NEAR the sea AND sand", [1, 0, 0])] });
        var hits = await store.SearchAsync("p", Query([1, 0, 0], FilterNode.All) with { QueryText = "\"sea\" AND (sand OR NEAR(x*", KeywordSearch = true });
        Assert.Single(hits);
    }

    [Theory]
    [InlineData("hello world", "\"hello\" OR \"world\"")]
    [InlineData("  \"a\" AND b*  ", "\"b\"")]
    [InlineData("café 42", "\"café\" OR \"42\"")]
    [InlineData("What did she do in May?", "")]
    public void ToFtsQuery_QuotesTermsWithoutStopwords(string text, string expected)
    {
        Assert.Equal(expected, SqliteMemoryStore.ToFtsQuery(SearchText.KeywordTerms(text)));
    }

    [Fact]
    public void AddSqliteStores_ResolvesStoresFromConfiguration()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mem0:Sqlite:DataDirectory"] = Path.Combine(Path.GetTempPath(), "mem0-sqlite-tests", "di-" + Guid.NewGuid().ToString("N")),
        });
        builder.AddSqliteStores();
        using var host = builder.Build();

        Assert.IsType<SqliteMemoryStore>(host.Services.GetRequiredService<IMemoryStore>());
        Assert.IsType<SqliteProjectStore>(host.Services.GetRequiredService<Mem0.Core.Projects.IProjectStore>());
        Assert.IsType<SqliteEventStore>(host.Services.GetRequiredService<Mem0.Core.Events.IEventStore>());
    }

    [Fact]
    public async Task SearchAsync_KeywordLegWithHundredsOfUsersInTheProject_RanksWithinTheCallersScope()
    {
        var store = NewStore();

        // 400 other users' memories match the keyword better (shorter texts); the caller's only match is far from the
        // query vector, so only a keyword leg ranked within the caller's filter can find it.
        var others = Enumerable.Range(0, 400)
            .Select(i => Memory($"o{i}", "zebra zebra", [0, 1, 0]) with { Scope = new MemoryScope($"user-{i}") })
            .ToList();
        var mine = Memory("mine", "I once saw a zebra at the zoo with my grandmother", [0, 0, 1]) with { Scope = new MemoryScope("alice") };
        var filler = Enumerable.Range(0, 20).Select(i => Memory($"f{i}", $"note number {i}", [1, 0, 0]) with { Scope = new MemoryScope("alice") }).ToList();
        await store.ApplyAsync("p", new MemoryChangeSet { Added = [.. others, mine, .. filler] });

        var scope = FilterScopes.ForScope(new MemoryScope("alice"));
        var keywordOnly = await store.SearchAsync("p", Query([1, 0, 0], scope) with { QueryText = "zebra", Signals = SearchSignals.Keyword, TopK = 5 });
        var hybrid = await store.SearchAsync("p", Query([1, 0, 0], scope) with { QueryText = "zebra", TopK = 5 });

        Assert.Equal("mine", Assert.Single(keywordOnly).Memory.Id);
        Assert.Contains(hybrid, hit => hit.Memory.Id == "mine");
        Assert.All(hybrid, hit => Assert.Equal("alice", hit.Memory.Scope.UserId));
    }

    [Fact]
    public async Task ApplyAsync_MemoryNamingPeopleAndPlaces_StoresItsEntities()
    {
        var store = NewStore();
        await store.ApplyAsync("p", new MemoryChangeSet { Added = [Memory("m1", "Caroline moved to Lisbon with Jean-Luc.", [1, 0, 0])] });

        var stored = await store.GetAsync("p", "m1");
        Assert.Equal(["caroline", "lisbon", "jean-luc"], stored!.Entities);

        await store.ApplyAsync("p", new MemoryChangeSet { Updated = [stored with { Text = "Caroline moved to Porto.", Entities = [] }] });
        Assert.Equal(["caroline", "porto"], (await store.GetAsync("p", "m1"))!.Entities);
    }

    [Fact]
    public async Task SearchAsync_QueryNamingAnEntity_FavoursTheMemoryMentioningIt()
    {
        var store = NewStore();
        await store.ApplyAsync("p", new MemoryChangeSet
        {
            Added = [Memory("a", "Dinner with Priya was lovely", [0.8f, 0.6f, 0]), Memory("b", "Dinner with Tomasz was lovely", [1, 0, 0])],
        });

        var withEntity = await store.SearchAsync("p", Query([1, 0, 0], FilterNode.All) with { QueryText = "How was dinner with Priya?", Signals = SearchSignals.Vector | SearchSignals.Entity });
        var vectorOnly = await store.SearchAsync("p", Query([1, 0, 0], FilterNode.All) with { QueryText = "How was dinner with Priya?", Signals = SearchSignals.Vector });

        Assert.Equal("a", withEntity[0].Memory.Id);
        Assert.Equal("b", vectorOnly[0].Memory.Id);
    }

    [Fact]
    public async Task SearchAsync_QueryNamingAMonth_FavoursMemoriesCreatedThenAndKeepsTheOthers()
    {
        var store = NewStore();
        var july = new DateTimeOffset(2023, 7, 14, 9, 0, 0, TimeSpan.Zero);
        await store.ApplyAsync("p", new MemoryChangeSet
        {
            Added =
            [
                Memory("march", "Went hiking", [1, 0, 0]) with { CreatedAt = july.AddMonths(-4), UpdatedAt = july.AddMonths(-4) },
                Memory("july", "Went hiking", [0.9f, 0.43589f, 0]) with { CreatedAt = july, UpdatedAt = july },
            ],
        });

        var hits = await store.SearchAsync("p", Query([1, 0, 0], FilterNode.All) with { QueryText = "Where did I go in July 2023?" });
        var undated = await store.SearchAsync("p", Query([1, 0, 0], FilterNode.All) with { QueryText = "Where did I go?" });

        Assert.Equal(["july", "march"], hits.Select(h => h.Memory.Id));
        Assert.Equal(["march", "july"], undated.Select(h => h.Memory.Id));
    }

    [Fact]
    public async Task SearchAsync_TurnStoredRightAfterAStrongHit_IsFavouredWithinItsScopeAndTheHour()
    {
        var store = NewStore();
        await store.ApplyAsync("p", new MemoryChangeSet
        {
            Added =
            [
                Memory("question", "Melanie: what did you paint last week?", [1, 0, 0]),
                Memory("answer", "Caroline: a sunset over the lake", [0, 0, 1]) with { CreatedAt = T0.AddSeconds(30) },
                Memory("later", "Caroline: see you", [0, 0, 1]) with { CreatedAt = T0.AddHours(2) },
                Memory("elsewhere", "Bob: a sunset", [0, 0, 1]) with { Scope = new MemoryScope("other"), CreatedAt = T0.AddSeconds(10) },
                .. Enumerable.Range(1, 3).Select(i => Memory("other" + i, "Melanie: something else", [0.6f - (0.1f * i), 0.8f, 0]) with { CreatedAt = T0.AddDays(i) }),
            ],
        });

        var query = Query([1, 0, 0], FilterNode.All) with { QueryText = "What did Caroline paint?", TopK = 4, Signals = SearchSignals.Vector | SearchSignals.Neighbour };
        var hits = await store.SearchAsync("p", query);
        var vectorOnly = await store.SearchAsync("p", query with { Signals = SearchSignals.Vector });

        Assert.Equal(["question", "answer", "other1", "other2"], hits.Select(h => h.Memory.Id));
        Assert.Equal(["question", "other1", "other2", "other3"], vectorOnly.Select(h => h.Memory.Id));
    }

    [Fact]
    public async Task SearchAsync_MemorySharingARareWordWithTheBestKeywordHit_IsFoundByFeedback()
    {
        var store = NewStore();
        await store.ApplyAsync("p", new MemoryChangeSet
        {
            Added =
            [
                Memory("zebra", "zebra stripes on the savanna", [0, 1, 0]),
                Memory("safari", "savanna safari photos", [0, 0, 1]) with { CreatedAt = T0.AddDays(-1) },
                .. Enumerable.Range(1, 3).Select(i => Memory("lunch" + i, "lunch with tom", [1.0f - (0.1f * i), 0, 0.5f]) with { CreatedAt = T0.AddDays(i) }),
                .. Enumerable.Range(1, 20).Select(i => Memory("elsewhere" + i, "lunch with tom", [1, 0, 0]) with { Scope = new MemoryScope("other") }),
            ],
        });

        var query = Query([1, 0, 0], FilterScopes.ForScope(new MemoryScope("u"))) with { QueryText = "zebra", TopK = 4, Signals = SearchSignals.Vector | SearchSignals.Keyword };
        var hits = await store.SearchAsync("p", query);
        var withoutFeedback = await store.SearchAsync("p", query with { Weights = HybridRanking.DefaultWeights with { Feedback = 0 } });

        Assert.Equal("zebra", hits[0].Memory.Id);
        Assert.Contains("safari", hits.Select(h => h.Memory.Id));
        Assert.Equal(["zebra", "lunch1", "lunch2", "lunch3"], withoutFeedback.Select(h => h.Memory.Id));
    }

    private SqliteMemoryStore NewStore() => new(_database.Database, NullLogger<SqliteMemoryStore>.Instance);

    private static MemoryRecord Memory(string id, string text, float[] embedding) => new()
    {
        Id = id,
        ProjectId = "p",
        Text = text,
        Hash = "h-" + id,
        Embedding = embedding,
        EmbeddingModel = "m",
        Scope = new MemoryScope("u"),
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    private static MemorySearchQuery Query(float[] vector, FilterNode filter) => new()
    {
        Filter = filter,
        Vector = vector,
        EmbeddingModel = "m",
        QueryText = "",
        Today = Today,
    };

    /// <summary>A second database object over an existing file (a restarted process).</summary>
    private sealed class SqliteTestDatabaseAt : IDisposable
    {
        public SqliteTestDatabaseAt(string path) =>
            Database = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(new SqliteOptions
            {
                ConnectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString(),
            }));

        public SqliteDatabase Database { get; }

        public void Dispose() => Database.Dispose();
    }
}
