using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;
using Mem0.Local.Embeddings;
using Mem0.Local.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Benchmarks;

/// <summary>
/// `recall`: evidence recall on the LOCOMO development split (conversations 1-5), the protocol of issue 14: one memory
/// per dialogue turn ("Speaker: text", as an <c>infer: false</c> add stores it, created_at = the session's date), one
/// user per conversation in one project, every question of categories 1-4 searched with top 10 in its user's scope.
/// recall@k = share of a question's evidence turns among the first k hits, averaged; MRR = 1 / rank of the first
/// evidence hit. Prints one row per configuration and category, search latency beside it, then the latency at
/// 10,000 memories in one scope including the query embedding.
/// Options: <c>--data PATH</c> (default: shared/data/locomo/locomo-dev.json found upwards from the working
/// directory), <c>--models ArcticXs</c> (one model only), <c>--sweep</c> (also print a grid of fusion weights),
/// <c>--quick</c> (the default configuration and the leave-one-conversation-out checks only), <c>--cached</c> (reuse
/// the vectors of an earlier run, for tuning), <c>--latency</c> (with <c>--quick</c>: only the 10k latency breakdown),
/// <c>--rewrite</c> (also try blending the query embedding with that of its keyword terms).
/// </summary>
public sealed class RecallBenchmark : IBenchmark
{
    private const string ProjectId = "locomo";
    private const int TopK = 10;

    public string Name => "recall";

    public string Description => "LOCOMO dev split evidence recall@1/5/10 and MRR per configuration, search latency";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var dataPath = Option(args, "--data") ?? FindData();
        var conversations = LoadConversations(dataPath);
        var questions = conversations.SelectMany(c => c.Questions).ToList();
        output.WriteLine($"recall: {dataPath}: {conversations.Count} conversations, {conversations.Sum(c => c.Turns.Count)} turns, {questions.Count} questions (categories 1-4), top {TopK}");

        var configurations = new (string Name, LocalEmbeddingModel Model, LocalEmbeddingPrecision Precision, SearchSignals Signals)[]
        {
            ("vector MiniLM int8", LocalEmbeddingModel.MiniLm, LocalEmbeddingPrecision.Int8, SearchSignals.Vector),
            ("vector Arctic f32", LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Float32, SearchSignals.Vector),
            ("vector Arctic int8", LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8, SearchSignals.Vector),
            ("hybrid (vector+keyword)", LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8, SearchSignals.Vector | SearchSignals.Keyword),
            ("hybrid +time", LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8, SearchSignals.Vector | SearchSignals.Keyword | SearchSignals.Time),
            ("hybrid +entity", LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8, SearchSignals.Vector | SearchSignals.Keyword | SearchSignals.Entity),
            ("hybrid +neighbour", LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8, SearchSignals.Vector | SearchSignals.Keyword | SearchSignals.Neighbour),
            ("all but neighbour", LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8, SearchSignals.All & ~SearchSignals.Neighbour),
            ("default (all signals)", LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8, SearchSignals.All),
            ("keyword only (BM25)", LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8, SearchSignals.Keyword),
        };
        var only = Option(args, "--models");
        var quick = args.Contains("--quick");
        var cacheDirectory = Path.Combine(Path.GetTempPath(), "mem0-bench-models");
        var rows = new List<string>();
        var byCategory = new List<string>();
        foreach (var group in configurations.GroupBy(c => (c.Model, c.Precision)))
        {
            if (only is not null && !only.Split(',').Contains(group.Key.Model.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            using var generator = new LocalEmbeddingGenerator(Options.Create(new LocalEmbeddingOptions
            {
                Model = group.Key.Model,
                Precision = group.Key.Precision,
                CacheDirectory = cacheDirectory,
            }));
            var modelId = LocalEmbeddingGenerator.ModelIdFor(group.Key.Model, group.Key.Precision);
            var embedWatch = Stopwatch.StartNew();
            var turnTexts = conversations.SelectMany(c => c.Turns).Select(t => t.Text).ToList();
            var cachePath = Path.Combine(cacheDirectory, $"recall-vectors-{modelId}-{Fingerprint(turnTexts, questions)}.bin");
            List<float[]> turnVectors;
            List<float[]> queryVectors;
            if (args.Contains("--cached") && ReadVectors(cachePath, turnTexts.Count + questions.Count) is { } cached)
            {
                // Tuning runs reuse the vectors of an earlier run; figures for the record are measured without --cached.
                turnVectors = cached.Take(turnTexts.Count).ToList();
                queryVectors = cached.Skip(turnTexts.Count).ToList();
                output.WriteLine($"{modelId}: {cached.Count} vectors read from {cachePath}");
            }
            else
            {
                turnVectors = await EmbedAsync(generator, turnTexts, null, cancellationToken);
                var queryEmbedding = new LatencySamples();
                queryVectors = new List<float[]>(questions.Count);
                foreach (var question in questions)
                {
                    queryVectors.Add(await queryEmbedding.TimeAsync(async () =>
                        (await generator.GenerateAsync([question.Text], EmbeddingPurpose.ForQuery(), cancellationToken))[0].Vector.ToArray()));
                }

                embedWatch.Stop();
                WriteVectors(cachePath, turnVectors.Concat(queryVectors).ToList());
                output.WriteLine($"{modelId}: embedded {turnVectors.Count} turns and {questions.Count} questions in {embedWatch.Elapsed.TotalSeconds:F0} s; query embedding p50 {queryEmbedding.Percentile(50):F1} ms, p95 {queryEmbedding.Percentile(95):F1} ms");
            }

            var directory = Path.Combine(Path.GetTempPath(), "mem0-bench-recall", Guid.NewGuid().ToString("N"));
            try
            {
                using var database = new SqliteDatabase(Options.Create(new SqliteOptions { DataDirectory = directory }));
                var store = new SqliteMemoryStore(database, NullLogger<SqliteMemoryStore>.Instance);
                await LoadAsync(store, conversations, turnVectors, modelId, cancellationToken);
                foreach (var configuration in group)
                {
                    if (quick && configuration.Signals != SearchSignals.All)
                    {
                        continue;
                    }

                    var result = await EvaluateAsync(store, questions, queryVectors, modelId, configuration.Signals, null, cancellationToken);
                    rows.Add(Row(configuration.Name, result));
                    foreach (var (category, metrics) in result.ByCategory.OrderBy(p => p.Key))
                    {
                        byCategory.Add($"| {configuration.Name} | {category} ({CategoryName(category)}) | {metrics.Count} | {metrics.Recall10:F3} | {metrics.Mrr:F3} |");
                    }
                }

                if (group.Key is (LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8))
                {
                    if (args.Contains("--sweep"))
                    {
                        await SweepAsync(store, questions, queryVectors, modelId, output, cancellationToken);
                    }

                    if (!args.Contains("--latency"))
                    {
                        await SignalChecksAsync(store, questions, queryVectors, modelId, output, cancellationToken);
                    }

                    if (args.Contains("--rewrite"))
                    {
                        await RewriteCheckAsync(generator, store, questions, queryVectors, modelId, output, cancellationToken);
                    }
                }
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }

            if ((!quick || args.Contains("--latency")) && group.Key is (LocalEmbeddingModel.ArcticXs, LocalEmbeddingPrecision.Int8))
            {
                await ScaleLatencyAsync(generator, turnVectors, conversations, questions, modelId, output, cancellationToken);
            }
        }

        output.WriteLine();
        output.WriteLine($"| configuration | recall@1 | recall@5 | recall@10 | MRR | search p50 ms | search p95 ms | recall@10 per conversation ({string.Join(' ', conversations.Select(c => c.UserId))}) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
        rows.ForEach(output.WriteLine);
        output.WriteLine();
        output.WriteLine("| configuration | category | questions | recall@10 | MRR |");
        output.WriteLine("|---|---|---:|---:|---:|");
        byCategory.ForEach(output.WriteLine);
    }

    private static string Row(string name, Evaluation result) =>
        $"| {name} | {result.Overall.Recall1:F3} | {result.Overall.Recall5:F3} | {result.Overall.Recall10:F3} | {result.Overall.Mrr:F3} | {result.Latency.Percentile(50):F2} | {result.Latency.Percentile(95):F2} | {PerConversation(result)} |";

    private static string PerConversation(Evaluation result) =>
        string.Join(" ", result.ByConversation.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Recall10.ToString("F3", CultureInfo.InvariantCulture)));

    /// <summary>
    /// Each signal beyond the plain fusion, switched off and on, and every tuned constant checked by leaving one
    /// conversation out: the constant is chosen on the other four (the best mean recall@10 over a small grid) and
    /// measured on the fifth. A signal is worth keeping only if the held-out mean beats the plain fusion's and no more
    /// than one conversation loses.
    /// </summary>
    private static async Task SignalChecksAsync(SqliteMemoryStore store, List<Question> questions, List<float[]> queryVectors, string modelId, TextWriter output, CancellationToken cancellationToken)
    {
        var defaults = HybridRanking.DefaultWeights;
        var plain = defaults with { Neighbour = 0, Feedback = 0 };
        var grids = new (string Name, RankingWeights[] Grid)[]
        {
            ("neighbour boost (weight, anchors, per side)", [plain, .. from n in new[] { 0.3, 0.5, 0.7, 1.0 } from a in new[] { 3, 5, 10 } from p in new[] { 1, 2 } select plain with { Neighbour = n, NeighbourAnchors = a, NeighboursPerSide = p }]),
            ("keyword feedback (weight)", [defaults with { Feedback = 0 }, .. from f in new[] { 0.05, 0.1, 0.15, 0.2, 0.3 } select defaults with { Feedback = f }]),
            ("all (defaults ± one step)", [plain, defaults, .. Around(defaults)]),
        };
        var cache = new Dictionary<RankingWeights, Evaluation>();
        async Task<Evaluation> Evaluate(RankingWeights weights)
        {
            if (!cache.TryGetValue(weights, out var result))
            {
                result = await EvaluateAsync(store, questions, queryVectors, modelId, SearchSignals.All, weights, cancellationToken);
                cache[weights] = result;
            }

            return result;
        }

        var plainResult = await Evaluate(plain);
        output.WriteLine();
        output.WriteLine($"plain fusion ({Describe(plain)}): recall@10 {plainResult.Overall.Recall10:F3}, MRR {plainResult.Overall.Mrr:F3}, per conversation {PerConversation(plainResult)}");
        foreach (var (name, grid) in grids)
        {
            var evaluations = new List<(RankingWeights Weights, Evaluation Result)>();
            foreach (var weights in grid.Distinct())
            {
                evaluations.Add((weights, await Evaluate(weights)));
            }

            // The first entry of a grid is what the signal is compared with.
            var baseline = evaluations[0].Result;
            output.WriteLine();
            output.WriteLine($"{name}: leave one conversation out, against {Describe(grid[0])}");
            output.WriteLine("| held out | chosen on the other four | held-out recall@10 | reference | difference |");
            output.WriteLine("|---|---|---:|---:|---:|");
            var heldOut = new List<double>();
            var worse = 0;
            foreach (var conversation in baseline.ByConversation.Keys.Order(StringComparer.Ordinal))
            {
                var chosen = evaluations
                    .OrderByDescending(e => TrainingRecall(e.Result, conversation))
                    .ThenBy(e => e.Weights == grid[0] ? 0 : 1)
                    .First();
                var recall = chosen.Result.ByConversation[conversation].Recall10;
                var reference = baseline.ByConversation[conversation].Recall10;
                heldOut.Add(recall);
                worse += recall < reference - 1e-9 ? 1 : 0;
                output.WriteLine($"| {conversation} | {Describe(chosen.Weights)} | {recall:F3} | {reference:F3} | {recall - reference:+0.000;-0.000;0.000} |");
            }

            var plainMean = baseline.ByConversation.Values.Average(m => m.Recall10);
            output.WriteLine($"held-out mean {heldOut.Average():F3} vs reference {plainMean:F3} ({heldOut.Average() - plainMean:+0.000;-0.000}); {worse} of {heldOut.Count} conversations worse");
            var best = evaluations.OrderByDescending(e => e.Result.Overall.Recall10).First();
            output.WriteLine($"best on all five: {Describe(best.Weights)}: recall@10 {best.Result.Overall.Recall10:F3}, MRR {best.Result.Overall.Mrr:F3}, per conversation {PerConversation(best.Result)}");
        }
    }

    /// <summary>The query embedding blended with the embedding of its keyword terms (stopwords removed).</summary>
    private static async Task RewriteCheckAsync(LocalEmbeddingGenerator generator, SqliteMemoryStore store, List<Question> questions, List<float[]> queryVectors, string modelId, TextWriter output, CancellationToken cancellationToken)
    {
        var rewritten = new List<float[]>(questions.Count);
        foreach (var question in questions)
        {
            var terms = string.Join(' ', SearchText.KeywordTerms(question.Text));
            rewritten.Add((await generator.GenerateAsync([terms.Length > 0 ? terms : question.Text], EmbeddingPurpose.ForQuery(), cancellationToken))[0].Vector.ToArray());
        }

        foreach (var alpha in new[] { 0.0, 0.25, 0.5, 1.0, 100.0 })
        {
            var blended = queryVectors.Select((q, i) =>
            {
                var v = q.Zip(rewritten[i], (a, b) => (float)(a + (alpha * b))).ToArray();
                var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
                return v.Select(x => x / norm).ToArray();
            }).ToList();
            var result = await EvaluateAsync(store, questions, blended, modelId, SearchSignals.All, null, cancellationToken);
            output.WriteLine($"rewrite blend {alpha}: recall@10 {result.Overall.Recall10:F3}, MRR {result.Overall.Mrr:F3}, per conversation {PerConversation(result)}");
        }
    }

    /// <summary>Question-weighted recall@10 over every conversation but <paramref name="heldOut"/>.</summary>
    private static double TrainingRecall(Evaluation result, string heldOut)
    {
        var training = result.ByConversation.Where(p => p.Key != heldOut).Select(p => p.Value).ToList();
        return training.Sum(m => m.Recall10 * m.Count) / training.Sum(m => m.Count);
    }

    /// <summary>The defaults with one constant moved one step up or down.</summary>
    private static IEnumerable<RankingWeights> Around(RankingWeights w)
    {
        yield return w with { K = w.K / 2 };
        yield return w with { K = w.K * 2 };
        yield return w with { Keyword = w.Keyword * 1.5 };
        yield return w with { Keyword = w.Keyword / 1.5 };
        yield return w with { Entity = w.Entity * 2 };
        yield return w with { Entity = w.Entity / 2 };
        yield return w with { Time = w.Time * 1.5 };
        yield return w with { Time = w.Time / 1.5 };
        yield return w with { Neighbour = w.Neighbour * 1.5 };
        yield return w with { Neighbour = w.Neighbour / 1.5 };
        yield return w with { NeighbourAnchors = w.NeighbourAnchors + 2 };
        yield return w with { NeighboursPerSide = w.NeighboursPerSide + 1 };
    }

    private static string Describe(RankingWeights w) => string.Create(
        CultureInfo.InvariantCulture,
        $"k {w.K}, vector {w.Vector}, keyword {w.Keyword}, entity {w.Entity}, time {w.Time}, neighbour {w.Neighbour} x {w.NeighbourAnchors} ±{w.NeighboursPerSide}, feedback {w.Feedback}");

    private static string Fingerprint(List<string> turns, List<Question> questions)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', turns.Concat(questions.Select(q => q.Text)))));
        return Convert.ToHexString(hash, 0, 8);
    }

    private static List<float[]>? ReadVectors(string path, int count)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var reader = new BinaryReader(File.OpenRead(path));
        var result = new List<float[]>(count);
        var total = reader.ReadInt32();
        for (var i = 0; i < total; i++)
        {
            var vector = new float[reader.ReadInt32()];
            for (var j = 0; j < vector.Length; j++)
            {
                vector[j] = reader.ReadSingle();
            }

            result.Add(vector);
        }

        return result.Count == count ? result : null;
    }

    private static void WriteVectors(string path, List<float[]> vectors)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(vectors.Count);
        foreach (var vector in vectors)
        {
            writer.Write(vector.Length);
            foreach (var value in vector)
            {
                writer.Write(value);
            }
        }
    }

    private static async Task SweepAsync(SqliteMemoryStore store, List<Question> questions, List<float[]> queryVectors, string modelId, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine();
        output.WriteLine("| k | vector | keyword | entity | time | recall@10 | MRR | per conversation recall@10 |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var k in new[] { 5, 10, 20 })
        foreach (var keyword in new[] { 1.0, 1.5 })
        foreach (var entity in new[] { 0.0, 0.5, 1.0 })
        foreach (var time in new[] { 1.0, 1.5, 2.0 })
        {
            var weights = HybridRanking.DefaultWeights with { Keyword = keyword, Entity = entity, Time = time, K = k };
            var result = await EvaluateAsync(store, questions, queryVectors, modelId, SearchSignals.All, weights, cancellationToken);
            var perConversation = string.Join(" ", result.ByConversation.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value.Recall10.ToString("F3", CultureInfo.InvariantCulture)));
            output.WriteLine($"| {k} | 1.0 | {keyword} | {entity} | {time} | {result.Overall.Recall10:F3} | {result.Overall.Mrr:F3} | {perConversation} |");
        }
    }

    /// <summary>Search p50/p95 at 10,000 memories in one scope (the LOCOMO turns repeated), with and without the query embedding.</summary>
    private static async Task ScaleLatencyAsync(LocalEmbeddingGenerator generator, List<float[]> turnVectors, List<Conversation> conversations, List<Question> questions, string modelId, TextWriter output, CancellationToken cancellationToken)
    {
        const int Size = 10_000;
        var turns = conversations.SelectMany(c => c.Turns).ToList();
        var directory = Path.Combine(Path.GetTempPath(), "mem0-bench-recall", Guid.NewGuid().ToString("N"));
        try
        {
            using var database = new SqliteDatabase(Options.Create(new SqliteOptions { DataDirectory = directory }));
            var store = new SqliteMemoryStore(database, NullLogger<SqliteMemoryStore>.Instance);
            var memories = Enumerable.Range(0, Size).Select(i =>
            {
                var turn = turns[i % turns.Count];
                return NewMemory($"m{i}", turn.Text, turnVectors[i % turns.Count], modelId, "scale-user", turn.CreatedAt);
            }).ToList();
            foreach (var chunk in memories.Chunk(1000))
            {
                await store.ApplyAsync(ProjectId, new MemoryChangeSet { Added = chunk }, cancellationToken);
            }

            var filter = FilterScopes.ForScope(new MemoryScope(UserId: "scale-user"));
            var searchOnly = new LatencySamples();
            var withEmbedding = new LatencySamples();
            var sample = questions.Take(300).ToList();
            foreach (var warmup in sample.Take(20))
            {
                await SearchOnceAsync(generator, store, filter, warmup.Text, modelId, cancellationToken);
            }

            foreach (var question in sample)
            {
                var start = Stopwatch.GetTimestamp();
                var vector = (await generator.GenerateAsync([question.Text], EmbeddingPurpose.ForQuery(), cancellationToken))[0].Vector.ToArray();
                var searchStart = Stopwatch.GetTimestamp();
                await store.SearchAsync(ProjectId, Query(filter, vector, modelId, question.Text, SearchSignals.All, null), cancellationToken);
                searchOnly.Add(Stopwatch.GetElapsedTime(searchStart));
                withEmbedding.Add(Stopwatch.GetElapsedTime(start));
            }

            output.WriteLine($"{modelId}, {Size:N0} memories in one scope, default search, {sample.Count} queries: search p50 {searchOnly.Percentile(50):F2} ms, p95 {searchOnly.Percentile(95):F2} ms; with query embedding p50 {withEmbedding.Percentile(50):F2} ms, p95 {withEmbedding.Percentile(95):F2} ms");
            var plain = HybridRanking.DefaultWeights with { Neighbour = 0, Feedback = 0 };
            var legs = new (string Name, SearchSignals Signals, RankingWeights? Weights)[]
            {
                ("vector", SearchSignals.Vector, null),
                ("vector + keyword", SearchSignals.Vector | SearchSignals.Keyword, plain),
                ("keyword", SearchSignals.Keyword, plain),
                ("all, no neighbour, no feedback", SearchSignals.All, plain),
                ("all, no feedback", SearchSignals.All, HybridRanking.DefaultWeights with { Feedback = 0 }),
                ("default", SearchSignals.All, null),
            };
            foreach (var (name, signals, weights) in legs)
            {
                var samples = new LatencySamples();
                foreach (var question in sample)
                {
                    var vector = (await generator.GenerateAsync([question.Text], EmbeddingPurpose.ForQuery(), cancellationToken))[0].Vector.ToArray();
                    await samples.TimeAsync(() => store.SearchAsync(ProjectId, Query(filter, vector, modelId, question.Text, signals, weights), cancellationToken));
                }

                output.WriteLine($"  {name}: search p50 {samples.Percentile(50):F2} ms, p95 {samples.Percentile(95):F2} ms");
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task SearchOnceAsync(LocalEmbeddingGenerator generator, SqliteMemoryStore store, FilterNode filter, string text, string modelId, CancellationToken cancellationToken)
    {
        var vector = (await generator.GenerateAsync([text], EmbeddingPurpose.ForQuery(), cancellationToken))[0].Vector.ToArray();
        await store.SearchAsync(ProjectId, Query(filter, vector, modelId, text, SearchSignals.All, null), cancellationToken);
    }

    private static async Task<Evaluation> EvaluateAsync(
        SqliteMemoryStore store, List<Question> questions, List<float[]> queryVectors, string modelId, SearchSignals signals, RankingWeights? weights, CancellationToken cancellationToken)
    {
        var latency = new LatencySamples();
        var overall = new Metrics();
        var byCategory = new Dictionary<int, Metrics>();
        var byConversation = new Dictionary<string, Metrics>(StringComparer.Ordinal);
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            var filter = FilterScopes.ForScope(new MemoryScope(UserId: question.UserId));
            var hits = await latency.TimeAsync(() => store.SearchAsync(ProjectId, Query(filter, queryVectors[i], modelId, question.Text, signals, weights), cancellationToken));
            var ranked = hits.Select(h => h.Memory.Id).ToList();
            foreach (var metrics in new[] { overall, Get(byCategory, question.Category), Get(byConversation, question.UserId) })
            {
                metrics.Add(ranked, question.Evidence);
            }
        }

        return new Evaluation(overall, byCategory, byConversation, latency);
    }

    private static MemorySearchQuery Query(FilterNode filter, float[] vector, string modelId, string text, SearchSignals signals, RankingWeights? weights) => new()
    {
        Filter = filter,
        Vector = vector,
        EmbeddingModel = modelId,
        QueryText = text,
        TopK = TopK,
        Signals = signals,
        Weights = weights,

        // Relative expressions ("last week") have no meaning against 2023 conversations; the day after the data keeps them inert.
        Today = new DateOnly(2024, 12, 31),
        IncludeExpired = true,
    };

    private static TValue Get<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key)
        where TKey : notnull
        where TValue : new()
    {
        if (!map.TryGetValue(key, out var value))
        {
            value = new TValue();
            map[key] = value;
        }

        return value;
    }

    private static async Task LoadAsync(SqliteMemoryStore store, List<Conversation> conversations, List<float[]> vectors, string modelId, CancellationToken cancellationToken)
    {
        var index = 0;
        foreach (var conversation in conversations)
        {
            var memories = conversation.Turns
                .Select(turn => NewMemory(turn.MemoryId, turn.Text, vectors[index++], modelId, conversation.UserId, turn.CreatedAt))
                .ToList();
            foreach (var chunk in memories.Chunk(500))
            {
                await store.ApplyAsync(ProjectId, new MemoryChangeSet { Added = chunk }, cancellationToken);
            }
        }
    }

    private static MemoryRecord NewMemory(string id, string text, float[] vector, string modelId, string userId, DateTimeOffset createdAt) => new()
    {
        Id = id,
        ProjectId = ProjectId,
        Text = text,
        Hash = id,
        Embedding = vector,
        EmbeddingModel = modelId,
        Scope = new MemoryScope(userId, null, null, null),
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };

    private static async Task<List<float[]>> EmbedAsync(LocalEmbeddingGenerator generator, List<string> texts, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Count);
        foreach (var chunk in texts.Chunk(64))
        {
            var embeddings = await generator.GenerateAsync(chunk, options, cancellationToken);
            vectors.AddRange(embeddings.Select(e => e.Vector.ToArray()));
        }

        return vectors;
    }

    private static string CategoryName(int category) => category switch
    {
        1 => "multi-hop",
        2 => "temporal",
        3 => "open-domain",
        4 => "single-hop",
        _ => "?",
    };

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count ? args[index + 1] : null;
    }

    private static string FindData()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "locomo", "locomo-dev.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("LOCOMO development split not found (shared/data/locomo/locomo-dev.json above the working directory); pass --data PATH.");
    }

    private static List<Conversation> LoadConversations(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var result = new List<Conversation>();
        foreach (var sample in document.RootElement.EnumerateArray())
        {
            var userId = sample.GetProperty("sample_id").GetString()!;
            var conversation = sample.GetProperty("conversation");
            var turns = new List<Turn>();
            for (var session = 1; conversation.TryGetProperty($"session_{session}", out var dialogue); session++)
            {
                var createdAt = ParseSessionDate(conversation.GetProperty($"session_{session}_date_time").GetString()!);
                var offset = 0;
                foreach (var turn in dialogue.EnumerateArray())
                {
                    var diaId = turn.GetProperty("dia_id").GetString()!;
                    var text = $"{turn.GetProperty("speaker").GetString()}: {turn.GetProperty("text").GetString()}";

                    // Turns of a session keep their order a second apart.
                    turns.Add(new Turn(userId + "/" + diaId, text, createdAt.AddSeconds(offset++)));
                }
            }

            var questions = new List<Question>();
            foreach (var qa in sample.GetProperty("qa").EnumerateArray())
            {
                var category = qa.GetProperty("category").GetInt32();
                if (category is < 1 or > 4)
                {
                    continue;
                }

                var evidence = qa.GetProperty("evidence").EnumerateArray()
                    .SelectMany(e => e.GetString()!.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(e => userId + "/" + e)
                    .ToHashSet(StringComparer.Ordinal);
                if (evidence.Count > 0)
                {
                    questions.Add(new Question(userId, qa.GetProperty("question").GetString()!, category, evidence));
                }
            }

            result.Add(new Conversation(userId, turns, questions));
        }

        return result;
    }

    /// <summary>"1:56 pm on 8 May, 2023".</summary>
    private static DateTimeOffset ParseSessionDate(string text)
    {
        var parsed = DateTime.ParseExact(text.Trim(), ["h:mm tt 'on' d MMMM, yyyy", "h:mm tt 'on' d MMM, yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new DateTimeOffset(parsed, TimeSpan.Zero);
    }

    private sealed record Conversation(string UserId, List<Turn> Turns, List<Question> Questions);

    private sealed record Turn(string MemoryId, string Text, DateTimeOffset CreatedAt);

    private sealed record Question(string UserId, string Text, int Category, HashSet<string> Evidence);

    private sealed record Evaluation(Metrics Overall, Dictionary<int, Metrics> ByCategory, Dictionary<string, Metrics> ByConversation, LatencySamples Latency);

    private sealed class Metrics
    {
        private double _recall1;
        private double _recall5;
        private double _recall10;
        private double _reciprocalRanks;

        public int Count { get; private set; }

        public double Recall1 => _recall1 / Math.Max(Count, 1);

        public double Recall5 => _recall5 / Math.Max(Count, 1);

        public double Recall10 => _recall10 / Math.Max(Count, 1);

        public double Mrr => _reciprocalRanks / Math.Max(Count, 1);

        public void Add(List<string> ranked, HashSet<string> evidence)
        {
            Count++;
            _recall1 += Recall(ranked, evidence, 1);
            _recall5 += Recall(ranked, evidence, 5);
            _recall10 += Recall(ranked, evidence, 10);
            var first = ranked.FindIndex(evidence.Contains);
            _reciprocalRanks += first >= 0 ? 1.0 / (first + 1) : 0;
        }

        private static double Recall(List<string> ranked, HashSet<string> evidence, int k) =>
            (double)ranked.Take(k).Count(evidence.Contains) / evidence.Count;
    }
}
