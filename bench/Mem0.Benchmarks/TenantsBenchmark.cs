using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Local.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Benchmarks;

/// <summary>
/// Multi-tenant search on the SQLite store: one project of <c>--scopes</c> users × <c>--per-scope</c> memories (random
/// 384-dim unit vectors; embedding time excluded). Scoped search cold (scope read from SQLite) and hot, an unscoped
/// search over every scope, the same vectors as one single scope, and the raw float32 scan floors; then resident
/// memory as scopes load, with and without the index budget. Options: <c>--scopes 10000</c> <c>--per-scope 100</c>
/// <c>--queries 500</c> <c>--budget-mb 512</c>.
/// </summary>
public sealed class TenantsBenchmark : IBenchmark
{
    private const int Dimensions = 384;
    private const int TopK = 10;
    private const string ProjectId = "bench";
    private const string Model = "bench-model";

    public string Name => "tenants";

    public string Description => "multi-tenant search: scoped p50/p95 in a project of many scopes, unscoped, one big scope, raw floor; memory vs N";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var scopes = Int(args, "--scopes", 10_000);
        var perScope = Int(args, "--per-scope", 100);
        var queryCount = Int(args, "--queries", 500);
        var budgetMb = Int(args, "--budget-mb", 512);
        var total = scopes * perScope;
        var directory = Path.Combine(Path.GetTempPath(), "mem0-bench-tenants", Guid.NewGuid().ToString("N"));
        var random = new Random(42);
        try
        {
            var insertRate = await SeedAsync(directory, scopes, perScope, random, cancellationToken);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{scopes:N0} scopes × {perScope} memories = {total:N0} memories, {Dimensions} dims, top-{TopK}; store inserts {insertRate:F0}/s (batches of 1,000)"));
            output.WriteLine();
            output.WriteLine("| search | memories scanned | p50 ms | p95 ms |");
            output.WriteLine("|---|---:|---:|---:|");

            using (var database = Open(directory, budgetMegabytes: 1_048_576))
            {
                var store = new SqliteMemoryStore(database, NullLogger<SqliteMemoryStore>.Instance);
                var queries = Enumerable.Range(0, queryCount).Select(_ => RandomUnitVector(random)).ToList();
                var users = Enumerable.Range(0, queryCount).Select(_ => random.Next(scopes)).ToList();

                var catalogue = Stopwatch.StartNew();
                await store.SearchAsync(ProjectId, Query(queries[0], User(users[0])), cancellationToken);
                catalogue.Stop();

                // Cold: each query's scope has never been searched, so it is read from SQLite first.
                var cold = new LatencySamples();
                var coldUsers = Enumerable.Range(0, queryCount).Select(i => (users[0] + 1 + i) % scopes).Distinct().ToList();
                for (var i = 0; i < coldUsers.Count; i++)
                {
                    await cold.TimeAsync(() => store.SearchAsync(ProjectId, Query(queries[i], User(coldUsers[i])), cancellationToken));
                }

                // Hot: the same scopes again (warm-up pass first so JIT tiering is done).
                for (var i = 0; i < Math.Min(50, queryCount); i++)
                {
                    await store.SearchAsync(ProjectId, Query(queries[i], User(coldUsers[i])), cancellationToken);
                }

                var hot = new LatencySamples();
                var hotKeyword = new LatencySamples();
                for (var i = 0; i < coldUsers.Count; i++)
                {
                    await hot.TimeAsync(() => store.SearchAsync(ProjectId, Query(queries[i], User(coldUsers[i])), cancellationToken));
                }

                for (var i = 0; i < coldUsers.Count; i++)
                {
                    await hotKeyword.TimeAsync(() => store.SearchAsync(ProjectId, Query(queries[i], User(coldUsers[i])) with { KeywordSearch = true, QueryText = "4242" }, cancellationToken));
                }

                Row(output, "scoped, first search of the scope (read from SQLite)", perScope, cold);
                Row(output, "scoped, resident", perScope, hot);
                Row(output, "scoped, resident, + keyword_search (a rare word)", perScope, hotKeyword);

                var load = Stopwatch.StartNew();
                await store.SearchAsync(ProjectId, Query(queries[0], FilterNode.All), cancellationToken);
                load.Stop();
                var unscoped = new LatencySamples();
                var wideCount = Math.Min(queryCount, 50);
                for (var i = 0; i < wideCount; i++)
                {
                    await unscoped.TimeAsync(() => store.SearchAsync(ProjectId, Query(queries[i], FilterNode.All), cancellationToken));
                }

                Row(output, $"unscoped, every scope resident ({scopes:N0} partitions)", total, unscoped);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"|  catalogue of {scopes:N0} scopes {catalogue.Elapsed.TotalMilliseconds:F0} ms (first search); loading the rest for the unscoped search {load.Elapsed.TotalSeconds:F1} s | | | |"));
            }

            await SingleScopeAndFloorAsync(output, total, perScope, queryCount, random);
            output.WriteLine();
            await MemoryAsync(output, directory, scopes, perScope, budgetMb, cancellationToken);
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

    /// <summary>The same number of vectors as one scope in an index (what every search cost before partitioning), and raw scans.</summary>
    private static Task SingleScopeAndFloorAsync(TextWriter output, int total, int perScope, int queryCount, Random random)
    {
        var index = new VectorIndex();
        var partitioned = new VectorIndex();
        var slab = new float[(long)total * Dimensions <= Array.MaxLength ? total * Dimensions : 0];
        const int batch = 10_000;
        for (var start = 0; start < total; start += batch)
        {
            var memories = new List<MemoryRecord>(batch);
            for (var i = start; i < Math.Min(start + batch, total); i++)
            {
                var vector = RandomUnitVector(random);
                if (slab.Length > 0)
                {
                    vector.CopyTo(slab, i * Dimensions);
                }

                memories.Add(Memory(i, vector, "single-user"));
            }

            index.Apply(memories, []);
            partitioned.Apply(memories.Select(m => m with { Scope = new MemoryScope(UserName(int.Parse(m.Id.AsSpan(1), CultureInfo.InvariantCulture) / perScope)) }), []);
        }

        var queries = Enumerable.Range(0, Math.Min(queryCount, 50)).Select(_ => RandomUnitVector(random)).ToList();
        var filter = FilterScopes.ForScope(new MemoryScope("single-user"));
        foreach (var query in queries.Take(5))
        {
            index.Search(query, Model, filter, TopK, null);
            RawScan.TopK(slab, total, query, TopK);
        }

        var single = new LatencySamples();
        var spread = new LatencySamples();
        var raw = new LatencySamples();
        var rawScope = new LatencySamples();
        foreach (var query in queries)
        {
            // Alternating, so load from elsewhere on the machine hits each the same.
            single.Time(() => index.Search(query, Model, filter, TopK, null));
            spread.Time(() => partitioned.Search(query, Model, FilterNode.All, TopK, null));
            raw.Time(() => RawScan.TopK(slab, total, query, TopK));
        }

        for (var i = 0; i < queryCount; i++)
        {
            var query = queries[i % queries.Count];
            rawScope.Time(() => RawScan.TopK(slab, perScope, query, TopK));
        }

        Row(output, "one scope holding every memory (in-process index)", total, single);
        Row(output, "the same vectors in one scope each per user, unscoped (in-process index)", total, spread);
        Row(output, "raw float32 dot-product scan, whole project (floor)", total, raw);
        Row(output, "raw float32 dot-product scan, one scope's vectors (floor)", perScope, rawScope);
        return Task.CompletedTask;
    }

    /// <summary>Resident memory as scopes load one by one, with an unbounded index and with the budget.</summary>
    private static async Task MemoryAsync(TextWriter output, string directory, int scopes, int perScope, int budgetMb, CancellationToken cancellationToken)
    {
        output.WriteLine("| resident memories requested | index budget | memories resident | index estimate MB | managed heap MB | process working set MB |");
        output.WriteLine("|---:|---|---:|---:|---:|---:|");
        var total = scopes * perScope;
        var steps = new[] { total / 10, total / 4, total / 2, total }.Where(n => n > 0).Distinct().ToList();
        foreach (var budget in new int?[] { null, budgetMb })
        {
            await MeasureAsync(output, directory, perScope, steps, budget, cancellationToken);
        }
    }

    private static async Task MeasureAsync(TextWriter output, string directory, int perScope, List<int> steps, int? budget, CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var database = Open(directory, budget ?? 1_048_576);
        var store = new SqliteMemoryStore(database, NullLogger<SqliteMemoryStore>.Instance);
        var query = RandomUnitVector(new Random(1));
        var loaded = 0;
        foreach (var step in steps)
        {
            for (; loaded < step / perScope; loaded++)
            {
                await store.SearchAsync(ProjectId, Query(query, User(loaded)), cancellationToken);
            }

            var index = store.IndexOf(ProjectId)!;
            var heap = GC.GetTotalMemory(forceFullCollection: true) - baseline;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {step:N0} | {(budget is { } mb ? mb + " MB" : "unbounded")} | {index.Count:N0} | {index.ResidentBytes / 1048576.0:F0} | {heap / 1048576.0:F0} | {Environment.WorkingSet / 1048576.0:F0} |"));
        }
    }

    private static async Task<double> SeedAsync(string directory, int scopes, int perScope, Random random, CancellationToken cancellationToken)
    {
        using var database = Open(directory, 1_048_576);
        var store = new SqliteMemoryStore(database, NullLogger<SqliteMemoryStore>.Instance);
        var watch = Stopwatch.StartNew();
        var added = new List<MemoryRecord>(1000);
        var n = 0;
        for (var s = 0; s < scopes; s++)
        {
            for (var i = 0; i < perScope; i++)
            {
                added.Add(Memory(n++, RandomUnitVector(random), UserName(s)));
                if (added.Count == 1000)
                {
                    await store.ApplyAsync(ProjectId, new MemoryChangeSet { Added = added }, cancellationToken);
                    added = new List<MemoryRecord>(1000);
                }
            }
        }

        if (added.Count > 0)
        {
            await store.ApplyAsync(ProjectId, new MemoryChangeSet { Added = added }, cancellationToken);
        }

        return n / watch.Elapsed.TotalSeconds;
    }

    private static SqliteDatabase Open(string directory, int budgetMegabytes) =>
        new(Options.Create(new SqliteOptions { DataDirectory = directory, IndexBudgetMegabytes = budgetMegabytes }));

    private static string UserName(int scope) => "user-" + scope.ToString(CultureInfo.InvariantCulture);

    private static FilterNode User(int scope) => FilterScopes.ForScope(new MemoryScope(UserName(scope)));

    private static void Row(TextWriter output, string variant, int scanned, LatencySamples samples) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variant} | {scanned:N0} | {samples.Percentile(50):F3} | {samples.Percentile(95):F3} |"));

    private static MemorySearchQuery Query(float[] vector, FilterNode filter) => new()
    {
        Filter = filter,
        Vector = vector,
        EmbeddingModel = Model,
        QueryText = "",
        TopK = TopK,
        Today = new DateOnly(2025, 1, 1),
    };

    private static MemoryRecord Memory(int i, float[] vector, string user)
    {
        var created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i);
        var id = "m" + i.ToString(CultureInfo.InvariantCulture);
        return new MemoryRecord
        {
            Id = id,
            ProjectId = ProjectId,
            Text = $"note {i}: the user prefers item {i * 7919 % 10007} on weekdays",
            Hash = id,
            Embedding = vector,
            EmbeddingModel = Model,
            Scope = new MemoryScope(user),
            CreatedAt = created,
            UpdatedAt = created,
        };
    }

    private static float[] RandomUnitVector(Random random)
    {
        var vector = new float[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            vector[d] = (float)((random.NextDouble() * 2) - 1);
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    private static int Int(IReadOnlyList<string> args, string name, int fallback)
    {
        for (var i = 0; i < args.Count - 1; i++)
        {
            if (args[i] == name)
            {
                return int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
        }

        return fallback;
    }
}
