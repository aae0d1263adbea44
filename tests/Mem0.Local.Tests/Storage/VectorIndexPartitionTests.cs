using System.Numerics.Tensors;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Local.Storage;

namespace Mem0.Local.Tests.Storage;

public class VectorIndexPartitionTests
{
    [Theory]
    [InlineData("""{"user_id":"alice"}""", new[] { "alice", "alice+bot" })]
    [InlineData("""{"AND":[{"user_id":"alice"},{"agent_id":"bot"}]}""", new[] { "alice+bot" })]
    [InlineData("""{"agent_id":"bot"}""", new[] { "alice+bot", "carol+bot" })]
    [InlineData("""{"user_id":{"in":["alice","bob"]}}""", new[] { "alice", "alice+bot", "bob" })]
    [InlineData("""{"OR":[{"user_id":"bob"},{"run_id":"r1"}]}""", new[] { "bob", "run r1" })]
    [InlineData("""{"user_id":"nobody"}""", new string[0])]
    public void Search_ScopeFilter_NeedsOnlyTheScopesItCanMatch(string filter, string[] expected)
    {
        var index = new VectorIndex();
        foreach (var (name, scope) in Scopes)
        {
            index.Register(scope, 1);
        }

        var missing = new List<MemoryScope>();
        index.Search([1, 0], "m", FilterParser.Parse(filter), 5, null, missing);

        Assert.Equal(expected.Order(), missing.Select(scope => Scopes.Single(s => s.Scope == scope).Name).Order());
    }

    [Theory]
    [InlineData("""{"metadata":{"topic":"x"}}""")]
    [InlineData("""{"NOT":[{"user_id":"alice"}]}""")]
    [InlineData("""{"OR":[{"user_id":"bob"},{"metadata":{"topic":"x"}}]}""")]
    [InlineData("""{"user_id":"*"}""")]
    public void Search_FilterTheIndexCannotNarrow_NeedsEveryScope(string filter)
    {
        var index = new VectorIndex();
        foreach (var (_, scope) in Scopes)
        {
            index.Register(scope, 1);
        }

        var missing = new List<MemoryScope>();
        index.Search([1, 0], "m", FilterParser.Parse(filter), 5, null, missing);

        Assert.Equal(Scopes.Length, missing.Count);
    }

    [Fact]
    public void Search_ManyScopes_ReturnsTheSameHitsAsABruteForceScanOfTheFilter()
    {
        var random = new Random(11);
        var memories = Enumerable.Range(0, 2000)
            .Select(i => Memory("m" + i, RandomUnit(random, 32), new MemoryScope("u" + (i % 40), i % 3 == 0 ? "bot" : null)))
            .ToList();
        var index = new VectorIndex();
        index.Apply(memories, []);
        var filters = new[] { """{"user_id":"u7"}""", """{"agent_id":"bot"}""", """{"user_id":{"in":["u1","u2","u3"]}}""", "{}" };

        foreach (var text in filters)
        {
            var filter = FilterParser.Parse(text);
            var query = RandomUnit(random, 32);
            var expected = memories
                .Where(m => FilterEvaluator.Matches(filter, m))
                .OrderByDescending(m => TensorPrimitives.Dot(m.Embedding, query))
                .Take(10)
                .Select(m => m.Id);

            var actual = index.Search(query, "m", filter, 10, null);

            Assert.Equal(expected, actual.Select(hit => hit.Memory.Id));
        }
    }

    [Fact]
    public void Apply_ToAScopeThatIsNotResident_LeavesItToStorage()
    {
        var index = new VectorIndex();
        var stored = new MemoryScope("alice");
        index.Register(stored, 3);

        index.Apply([Memory("a1", [1, 0], stored), Memory("n1", [1, 0], new MemoryScope("newcomer"))], []);

        // The registered scope loads later from storage; a scope never seen is complete from its first memory.
        Assert.Equal(1, index.Count);
        var missing = new List<MemoryScope>();
        var hits = index.Search([1, 0], "m", FilterNode.All, 5, null, missing);
        Assert.Equal("n1", Assert.Single(hits).Memory.Id);
        Assert.Equal(stored, Assert.Single(missing));
    }

    [Fact]
    public void Apply_MemoryMovesToAnotherScope_LeavesTheOldPartition()
    {
        var index = new VectorIndex();
        index.Apply([Memory("m1", [1, 0], new MemoryScope("alice"))], []);
        index.Apply([Memory("m1", [1, 0], new MemoryScope("bob"))], []);

        Assert.Empty(index.Search([1, 0], "m", FilterParser.Parse("""{"user_id":"alice"}"""), 5, null));
        Assert.Equal("m1", Assert.Single(index.Search([1, 0], "m", FilterParser.Parse("""{"user_id":"bob"}"""), 5, null)).Memory.Id);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void EvictOverBudget_UnloadsLeastRecentlySearchedScopesFirst()
    {
        var perScope = 20;
        var probe = new VectorIndex();
        probe.Apply(Enumerable.Range(0, perScope).Select(i => Memory("p" + i, [1, 0], new MemoryScope("x"))), []);
        var scopeBytes = probe.ResidentBytes;

        // Room for two scopes' worth, not three.
        var index = new VectorIndex((scopeBytes * 2) + (scopeBytes / 2));
        var scopes = new[] { "a", "b", "c" }.Select(name => new MemoryScope(name)).ToArray();
        foreach (var scope in scopes)
        {
            index.Register(scope, perScope);
        }

        Load(index, scopes[0], perScope);
        Load(index, scopes[1], perScope);
        index.Search([1, 0], "m", FilterParser.Parse("""{"user_id":"a"}"""), 1, null);
        Load(index, scopes[2], perScope);
        index.EvictOverBudget();

        Assert.True(index.ResidentBytes <= index.BudgetBytes);
        Assert.Equal(1, index.Evictions);
        Assert.True(index.NeedsLoad(scopes[1]));
        Assert.False(index.NeedsLoad(scopes[0]));
        Assert.False(index.NeedsLoad(scopes[2]));
        Assert.Equal(perScope * 2, index.Count);
    }

    [Fact]
    public void PlanLoad_SplitsScopesIntoBatchesThatFitTheBudget()
    {
        var index = new VectorIndex(10_000);
        var scopes = Enumerable.Range(0, 6).Select(i => new MemoryScope("u" + i)).ToList();
        foreach (var scope in scopes)
        {
            index.Register(scope, 2); // ~5 KB each at the planner's default estimate
        }

        var batches = index.PlanLoad(scopes);

        Assert.Equal(scopes, batches.SelectMany(batch => batch));
        Assert.All(batches, batch => Assert.True(batch.Count == 1 || index.EstimateBytes(batch) <= index.BudgetBytes));
        Assert.True(batches.Count > 1);
    }

    private static readonly (string Name, MemoryScope Scope)[] Scopes =
    [
        ("alice", new MemoryScope("alice")),
        ("alice+bot", new MemoryScope("alice", "bot")),
        ("bob", new MemoryScope("bob")),
        ("carol+bot", new MemoryScope("carol", "bot")),
        ("run r1", new MemoryScope(RunId: "r1")),
    ];

    private static void Load(VectorIndex index, MemoryScope scope, int count)
    {
        var loading = new HashSet<MemoryScope> { scope };
        index.LoadRows(loading, Enumerable.Range(0, count).Select(i => Memory(scope.UserId + i, [1, 0], scope)));
        index.CompleteLoad(loading);
    }

    private static MemoryRecord Memory(string id, float[] embedding, MemoryScope scope) => new()
    {
        Id = id,
        ProjectId = "p",
        Text = id,
        Hash = id,
        Embedding = embedding,
        EmbeddingModel = "m",
        Scope = scope,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static float[] RandomUnit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var norm = TensorPrimitives.Norm(vector);
        return vector.Select(v => v / norm).ToArray();
    }
}
