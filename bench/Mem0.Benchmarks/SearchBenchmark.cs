using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;
using Mem0.Local.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Benchmarks;

/// <summary>
/// SQLite store search latency at several sizes in one scope (random 384-dim unit vectors; embedding time
/// excluded): plain vector search, with keyword fusion, with a metadata filter, and a raw contiguous dot-product
/// scan over the same vectors as the floor. Options: <c>--sizes 1000,10000,100000</c> <c>--queries 200</c>.
/// </summary>
public sealed class SearchBenchmark : IBenchmark
{
    private const int Dimensions = 384;
    private const int TopK = 10;
    private const string ProjectId = "bench";
    private const string Model = "bench-model";

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "da", "fe", "gu", "hi", "jo", "ba", "ce", "ly",
    ];

    /// <summary>
    /// 2,000 pseudo-words: with 8 words per memory a word occurs in ~0.4% of memories, so a keyword query selects a
    /// realistic few hundred rows out of 100k rather than half the table (a 24-word vocabulary would).
    /// </summary>
    private static readonly string[] Words = Enumerable.Range(0, 2000)
        .Select(i => Syllables[i % 18] + Syllables[(i / 18) % 18] + Syllables[(i / 324) % 18] + "n")
        .ToArray();

    public string Name => "search";

    public string Description => "SQLite store vector / keyword / filtered search latency at 1k, 10k, 100k memories";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var sizes = Option(args, "--sizes", "1000,10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var queries = int.Parse(Option(args, "--queries", "200"), CultureInfo.InvariantCulture);

        output.WriteLine($"{queries} queries per row, top-{TopK}, {Dimensions} dims, one scope; milliseconds");
        output.WriteLine();
        output.WriteLine("| memories | variant | p50 ms | p95 ms |");
        output.WriteLine("|---:|---|---:|---:|");
        foreach (var size in sizes)
        {
            await RunSizeAsync(size, queries, output, cancellationToken);
        }
    }

    private static async Task RunSizeAsync(int size, int queryCount, TextWriter output, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mem0-bench", Guid.NewGuid().ToString("N"));
        var random = new Random(size);
        try
        {
            using var database = new SqliteDatabase(Options.Create(new SqliteOptions { DataDirectory = directory }));
            var store = new SqliteMemoryStore(database, NullLogger<SqliteMemoryStore>.Instance);
            var slab = new float[size * Dimensions];

            var insert = Stopwatch.StartNew();
            const int batch = 1000;
            for (var start = 0; start < size; start += batch)
            {
                var added = new List<MemoryRecord>(batch);
                for (var i = start; i < Math.Min(start + batch, size); i++)
                {
                    var vector = RandomUnitVector(random);
                    vector.CopyTo(slab, i * Dimensions);
                    added.Add(Memory(i, vector, random));
                }

                await store.ApplyAsync(ProjectId, new MemoryChangeSet { Added = added }, cancellationToken);
            }

            insert.Stop();

            var scope = FilterScopes.ForScope(new MemoryScope(UserId: "bench-user"));
            var metadataFilter = FilterScopes.And(scope, FilterParser.Parse("""{"metadata":{"bucket":{"in":[1,2,3]}}}"""));
            var queries = Enumerable.Range(0, queryCount).Select(_ => RandomUnitVector(random)).ToList();
            var texts = Enumerable.Range(0, queryCount).Select(_ => $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}").ToList();

            var load = Stopwatch.StartNew();
            await store.SearchAsync(ProjectId, Query(queries[0], scope, texts[0], keyword: false), cancellationToken);
            load.Stop();

            // Warm-up so JIT tiering does not land in the first measured samples.
            for (var i = 0; i < Math.Min(20, queryCount); i++)
            {
                await store.SearchAsync(ProjectId, Query(queries[i], metadataFilter, texts[i], keyword: true), cancellationToken);
                RawScan.TopK(slab, size, queries[i], TopK);
            }

            var plain = new LatencySamples();
            var keyword = new LatencySamples();
            var filtered = new LatencySamples();
            var raw = new LatencySamples();
            for (var i = 0; i < queryCount; i++)
            {
                await plain.TimeAsync(() => store.SearchAsync(ProjectId, Query(queries[i], scope, texts[i], keyword: false), cancellationToken));
                await keyword.TimeAsync(() => store.SearchAsync(ProjectId, Query(queries[i], scope, texts[i], keyword: true), cancellationToken));
                await filtered.TimeAsync(() => store.SearchAsync(ProjectId, Query(queries[i], metadataFilter, texts[i], keyword: false), cancellationToken));
                raw.Time(() => RawScan.TopK(slab, size, queries[i], TopK));
            }

            Row(output, size, "vector (scope filter)", plain);
            Row(output, size, "vector + keyword_search", keyword);
            Row(output, size, "vector + metadata filter (30%)", filtered);
            Row(output, size, "raw dot-product scan (floor)", raw);
            output.WriteLine(
                $"|  | insert {insert.Elapsed.TotalSeconds:F1} s ({size / insert.Elapsed.TotalSeconds:F0}/s), index load {load.Elapsed.TotalMilliseconds:F0} ms | | |");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Temp files; leaving them is harmless.
            }
        }
    }

    private static void Row(TextWriter output, int size, string variant, LatencySamples samples) =>
        output.WriteLine($"| {size:N0} | {variant} | {samples.Percentile(50):F2} | {samples.Percentile(95):F2} |");

    private static MemorySearchQuery Query(float[] vector, FilterNode filter, string text, bool keyword) => new()
    {
        Filter = filter,
        Vector = vector,
        EmbeddingModel = Model,
        QueryText = text,
        TopK = TopK,
        Signals = keyword ? SearchSignals.All : SearchSignals.Vector,
        Today = new DateOnly(2025, 1, 1),
    };

    private static MemoryRecord Memory(int i, float[] vector, Random random)
    {
        var text = string.Join(' ', Enumerable.Range(0, 8).Select(_ => Words[random.Next(Words.Length)]));
        using var metadata = JsonDocument.Parse($$"""{"bucket":{{i % 10}},"source":"bench"}""");
        var created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i);
        return new MemoryRecord
        {
            Id = "m" + i.ToString(CultureInfo.InvariantCulture),
            ProjectId = ProjectId,
            Text = text,
            Hash = "h" + i.ToString(CultureInfo.InvariantCulture),
            Embedding = vector,
            EmbeddingModel = Model,
            Scope = new MemoryScope(UserId: "bench-user"),
            Metadata = metadata.RootElement.Clone(),
            Categories = ["bench"],
            CreatedAt = created,
            UpdatedAt = created,
        };
    }

    private static float[] RandomUnitVector(Random random)
    {
        var vector = new float[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            vector[d] = (float)(random.NextDouble() * 2 - 1);
        }

        var norm = TensorPrimitives.Norm(vector);
        TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private static string Option(IReadOnlyList<string> args, string name, string fallback)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return fallback;
    }
}
