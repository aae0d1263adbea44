using System.Diagnostics;
using System.Globalization;
using Mem0.Local.Embeddings;
using Microsoft.Extensions.Options;

namespace Mem0.Benchmarks;

/// <summary>
/// `embedder`: throughput of the local embedders (arctic-embed-xs, all-MiniLM-L6-v2), int8 (default) and float32, at 1,
/// 16 and 32 texts per call and 1,000 in one call, and the process's resident memory. Optional arguments: the model
/// (ArcticXs or MiniLm; default both) and IntraOpThreads (default: the option's default). Run one model per process
/// for clean memory figures.
/// </summary>
public sealed class EmbedderBenchmark : IBenchmark
{
    private const int TextCount = 1_000;

    public string Name => "embedder";

    public string Description => "local embedders (arctic-embed-xs, MiniLM): texts/s at batch 1/16/32, resident memory";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var models = args.Count > 0 && Enum.TryParse<LocalEmbeddingModel>(args[0], ignoreCase: true, out var only) ? [only] : Enum.GetValues<LocalEmbeddingModel>();
        var threads = args.Count > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var parsed) ? parsed : new LocalEmbeddingOptions().IntraOpThreads;
        var cacheDirectory = Path.Combine(Path.GetTempPath(), "mem0-bench-models");
        var texts = CreateTexts(TextCount);
        output.WriteLine($"embedder: {Environment.ProcessorCount} cores, IntraOpThreads={threads} ({Math.Max(1, Environment.ProcessorCount / threads)} calls at once)");

        // int8 first: its resident figures are then not inflated by the float32 session (memory is not handed back to the OS).
        foreach (var model in models)
        foreach (var precision in new[] { LocalEmbeddingPrecision.Int8, LocalEmbeddingPrecision.Float32 })
        {
            var baseline = ResidentMegabytes();
            var coldCache = !Directory.Exists(cacheDirectory);
            using var generator = new LocalEmbeddingGenerator(Options.Create(new LocalEmbeddingOptions
            {
                Model = model,
                CacheDirectory = cacheDirectory,
                IntraOpThreads = threads,
                BatchSize = 32,
                Precision = precision,
            }));

            var load = Stopwatch.StartNew();
            generator.EnsureLoaded();
            load.Stop();
            await generator.GenerateAsync(texts.Take(32), cancellationToken: cancellationToken);
            var afterLoad = ResidentMegabytes();
            var name = LocalEmbeddingGenerator.ModelIdFor(model, precision);
            output.WriteLine(
                $"{name}: load {load.Elapsed.TotalMilliseconds:F0} ms ({(coldCache ? "cold cache: extraction + checksums" : "warm cache")}); resident {baseline:F0} MB before, {afterLoad:F0} MB after load and a 32-text warm-up");

            foreach (var batch in new[] { 1, 16, 32 })
            {
                var count = batch == 1 ? 320 : 640;
                var watch = Stopwatch.StartNew();
                for (var start = 0; start < count; start += batch)
                {
                    await generator.GenerateAsync(texts.Skip(start).Take(batch), cancellationToken: cancellationToken);
                }

                watch.Stop();
                output.WriteLine(
                    $"{name}: {batch,2} text(s) per call: {count / watch.Elapsed.TotalSeconds,6:F0} texts/s ({watch.Elapsed.TotalMilliseconds / count:F2} ms/text over {count} texts)");
            }

            var all = Stopwatch.StartNew();
            var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
            all.Stop();
            output.WriteLine(
                $"{name}: {embeddings.Count} texts in one call: {embeddings.Count / all.Elapsed.TotalSeconds:F0} texts/s; resident after {ResidentMegabytes():F0} MB");
        }
    }

    /// <summary>Short, varied, memory-like sentences (8-20 tokens), the texts the service embeds most.</summary>
    private static List<string> CreateTexts(int count)
    {
        string[] subjects = ["I", "My sister", "Our team", "The user", "My manager", "Alex"];
        string[] verbs = ["likes", "prefers", "is allergic to", "wants to learn", "recently bought", "often talks about"];
        string[] objects =
        [
            "green tea in the morning", "hiking in the Alps", "vintage jazz records", "Italian cooking",
            "electric cars", "the Rust programming language", "peanuts and shellfish", "long-distance running",
            "science fiction novels", "board games on Friday nights", "a quiet desk near the window",
        ];
        var texts = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            texts.Add($"{subjects[i % subjects.Length]} {verbs[(i / subjects.Length) % verbs.Length]} {objects[(i / 7) % objects.Length]} (note {i}).");
        }

        return texts;
    }

    private static double ResidentMegabytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }
}
