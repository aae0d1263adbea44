using System.Numerics.Tensors;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Local.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Tests.Storage;

/// <summary>How the SQLite store feeds its vector index: scope by scope on demand, within the memory budget.</summary>
public sealed class SqliteIndexLoadingTests : IDisposable
{
    private const int Dimensions = 16;
    private static readonly DateOnly Today = new(2024, 6, 1);
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task SearchAsync_ScopedOnAFreshStore_LoadsOnlyThatScope()
    {
        var memories = await SeedAsync(users: 5, perUser: 30, textLength: 10);
        var (store, database) = Reopen(budgetMegabytes: 2048);
        using (database)
        {
            var hits = await store.SearchAsync("p", Query(memories[3].Embedding, """{"user_id":"u3"}"""));

            Assert.All(hits, hit => Assert.Equal("u3", hit.Memory.Scope.UserId));
            var index = store.IndexOf("p")!;
            Assert.Equal(5, index.PartitionCount);
            Assert.Equal(1, index.ResidentPartitionCount);
            Assert.Equal(30, index.Count);
        }
    }

    [Fact]
    public async Task SearchAsync_ProjectLargerThanTheBudget_AnswersEveryFilterCorrectlyWithinTheBudget()
    {
        // ~2.5 KB of text per memory: 6 users × 250 memories ≈ 4 MB, against a 1 MB budget.
        var memories = await SeedAsync(users: 6, perUser: 250, textLength: 1200);
        var (store, database) = Reopen(budgetMegabytes: 1);
        using (database)
        {
            var random = new Random(5);
            foreach (var text in new[] { "{}", """{"user_id":"u2"}""", """{"user_id":{"in":["u0","u5"]}}""", """{"metadata":{"even":true}}""", """{"user_id":"u4"}""" })
            {
                var filter = FilterParser.Parse(text);
                var vector = RandomUnit(random);
                var expected = memories
                    .Where(m => FilterEvaluator.Matches(filter, m))
                    .OrderByDescending(m => TensorPrimitives.Dot(m.Embedding, vector))
                    .Take(5)
                    .Select(m => m.Id)
                    .ToList();

                var hits = await store.SearchAsync("p", Query(vector, text));

                Assert.Equal(expected, hits.Select(hit => hit.Memory.Id));
                var index = store.IndexOf("p")!;
                Assert.True(index.ResidentBytes <= index.BudgetBytes, $"{index.ResidentBytes} resident bytes over a {index.BudgetBytes} budget after {text}");
            }

            Assert.True(store.IndexOf("p")!.Evictions > 0);
        }
    }

    [Fact]
    public async Task ApplyAsync_AfterCatalogue_NewAndChangedMemoriesAreFoundWhetherTheirScopeIsResidentOrNot()
    {
        var memories = await SeedAsync(users: 3, perUser: 10, textLength: 10);
        var (store, database) = Reopen(budgetMegabytes: 2048);
        using (database)
        {
            await store.SearchAsync("p", Query(memories[0].Embedding, """{"user_id":"u0"}"""));
            var target = new float[Dimensions];
            target[0] = 1;
            await store.ApplyAsync("p", new MemoryChangeSet
            {
                Added =
                [
                    Memory("new-u0", "x", target, new MemoryScope("u0")),
                    Memory("new-u1", "x", target, new MemoryScope("u1")),
                    Memory("new-u9", "x", target, new MemoryScope("u9")),
                ],
            });

            foreach (var user in new[] { "u0", "u1", "u9" })
            {
                var hits = await store.SearchAsync("p", Query(target, $$"""{"user_id":"{{user}}"}""") with { TopK = 1 });
                Assert.Equal("new-" + user, Assert.Single(hits).Memory.Id);
            }
        }
    }

    [Fact]
    public async Task Migration_ScopeIndex_ServesTheScopeLoad()
    {
        await using var connection = await _database.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            EXPLAIN QUERY PLAN SELECT id FROM memories
            WHERE project_id = 'p' AND user_id IS 'u' AND agent_id IS NULL AND app_id IS NULL AND run_id IS NULL
            """;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, line => line.Contains("ix_memories_scope", StringComparison.Ordinal) && line.Contains("run_id=?", StringComparison.Ordinal));
    }

    private async Task<List<MemoryRecord>> SeedAsync(int users, int perUser, int textLength)
    {
        var random = new Random(users * 1000 + perUser);
        var store = new SqliteMemoryStore(_database.Database, NullLogger<SqliteMemoryStore>.Instance);
        var memories = new List<MemoryRecord>();
        for (var u = 0; u < users; u++)
        {
            var added = Enumerable.Range(0, perUser)
                .Select(i => Memory($"u{u}-m{i}", new string((char)('a' + (i % 26)), textLength), RandomUnit(random), new MemoryScope("u" + u)) with
                {
                    Metadata = System.Text.Json.JsonDocument.Parse(i % 2 == 0 ? """{"even":true}""" : """{"even":false}""").RootElement,
                })
                .ToList();
            await store.ApplyAsync("p", new MemoryChangeSet { Added = added });
            memories.AddRange(added);
        }

        return memories;
    }

    private (SqliteMemoryStore Store, IDisposable Database) Reopen(int budgetMegabytes)
    {
        var database = new SqliteDatabase(Options.Create(new SqliteOptions
        {
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = _database.FilePath }.ToString(),
            IndexBudgetMegabytes = budgetMegabytes,
        }));
        return (new SqliteMemoryStore(database, NullLogger<SqliteMemoryStore>.Instance), database);
    }

    private static MemorySearchQuery Query(float[] vector, string filter) => new()
    {
        Filter = FilterParser.Parse(filter),
        Vector = vector,
        EmbeddingModel = "m",
        QueryText = "",
        TopK = 5,
        Today = Today,
    };

    private static MemoryRecord Memory(string id, string text, float[] embedding, MemoryScope scope) => new()
    {
        Id = id,
        ProjectId = "p",
        Text = text,
        Hash = "h-" + id,
        Embedding = embedding,
        EmbeddingModel = "m",
        Scope = scope,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static float[] RandomUnit(Random random)
    {
        var vector = new float[Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var norm = TensorPrimitives.Norm(vector);
        return vector.Select(v => v / norm).ToArray();
    }
}
