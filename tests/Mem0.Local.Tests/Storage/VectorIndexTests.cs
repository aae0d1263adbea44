using System.Numerics.Tensors;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Local.Storage;

namespace Mem0.Local.Tests.Storage;

public class VectorIndexTests
{
    private const int Dimensions = 384;

    [Fact]
    public void Search_Int8CandidatesThenExactRescore_EqualsBruteForceTopK()
    {
        var random = new Random(7);
        var memories = Enumerable.Range(0, 3000).Select(i => Memory("m" + i, RandomUnit(random), i % 3 == 0 ? "u1" : "u2")).ToList();
        var index = new VectorIndex();
        index.Apply(memories, []);
        var filter = FilterParser.Parse("""{"user_id":"u1"}""");

        for (var q = 0; q < 20; q++)
        {
            var query = RandomUnit(random);
            var expected = memories
                .Where(m => m.Scope.UserId == "u1")
                .Select(m => (m.Id, Score: TensorPrimitives.Dot(m.Embedding, query)))
                .OrderByDescending(hit => hit.Score)
                .Take(10)
                .ToList();

            var actual = index.Search(query, "model", filter, 10, today: null);

            Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Memory.Id));
            Assert.Equal(expected[0].Score, actual[0].Score, 5);
        }
    }

    [Fact]
    public void Apply_RemoveAndReplace_KeepsSlabConsistent()
    {
        var index = new VectorIndex();
        var a = Memory("a", Unit(1, 0, 0));
        var b = Memory("b", Unit(0, 1, 0));
        var c = Memory("c", Unit(0, 0, 1));
        index.Apply([a, b, c], []);
        index.Apply([b with { Embedding = Unit(1, 0.1f, 0) }], ["a"]);

        var hits = index.Search(Unit(1, 0, 0), "model", FilterNode.All, 3, today: null);

        Assert.Equal(["b", "c"], hits.Select(h => h.Memory.Id));
        Assert.Equal(Unit(1, 0.1f, 0), hits[0].Memory.Embedding);
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Search_ZeroQuery_FallsBackToExactScan()
    {
        var index = new VectorIndex();
        index.Apply([Memory("a", Unit(1, 0, 0))], []);
        var hits = index.Search(new float[3], "model", FilterNode.All, 5, today: null);
        Assert.Equal(0f, Assert.Single(hits).Score);
    }

    [Theory]
    [InlineData(new float[] { 0.5f, -1f, 0.25f }, new sbyte[] { 64, -127, 32 })]
    [InlineData(new float[] { 0f, 0f }, new sbyte[] { 0, 0 })]
    public void Quantize_ScalesToInt8Range(float[] source, sbyte[] expected)
    {
        var target = new sbyte[source.Length];
        var factor = Int8Vectors.Quantize(source, target);
        Assert.Equal(expected, target);
        Assert.Equal(source.Length == 2 ? 0f : 1f / 127f, factor, 6);
    }

    [Fact]
    public void Dot_MatchesScalarSum()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 389).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        var b = Enumerable.Range(0, 389).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
        Assert.Equal(a.Zip(b, (x, y) => x * y).Sum(), Int8Vectors.Dot(a, b));
    }

    [Fact]
    public void Neighbours_Anchor_NearestInTimeOnEachSideInItsScopeUnexpiredWithinTheGap()
    {
        var index = new VectorIndex();
        var t0 = DateTimeOffset.UnixEpoch.AddDays(100);
        MemoryRecord At(string id, int seconds, string user = "u1") => Memory(id, Unit(1, 0, 0), user) with { CreatedAt = t0.AddSeconds(seconds) };
        index.Apply(
        [
            At("before2", -20), At("before1", -10), At("anchor", 0), At("expired", 5) with { ExpirationDate = new DateOnly(2000, 1, 1) },
            At("after1", 10), At("after2", 20), At("far", 7200), At("other-user", 1, "u2"),
        ],
            []);
        var today = new DateOnly(2024, 1, 1);

        var one = index.Neighbours(Unit(1, 0, 0), "model", FilterNode.All, ["anchor"], perSide: 1, TimeSpan.FromHours(1), today);
        var two = index.Neighbours(Unit(1, 0, 0), "model", FilterNode.All, ["anchor"], perSide: 2, TimeSpan.FromSeconds(15), today: null);

        Assert.Equal(["before1", "after1"], one.Select(n => n.Memory.Id));
        Assert.All(one, n => Assert.Equal("anchor", n.AnchorId));
        Assert.Equal(["before1", "expired", "after1"], two.Select(n => n.Memory.Id));
    }

    private static MemoryRecord Memory(string id, float[] embedding, string user = "u1") => new()
    {
        Id = id,
        ProjectId = "p",
        Text = id,
        Hash = id,
        Embedding = embedding,
        EmbeddingModel = "model",
        Scope = new MemoryScope(user),
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    private static float[] Unit(params float[] values)
    {
        var norm = TensorPrimitives.Norm(values);
        return values.Select(v => v / norm).ToArray();
    }

    private static float[] RandomUnit(Random random)
    {
        var vector = new float[Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return Unit(vector);
    }
}
