using System.Diagnostics;
using System.Globalization;
using Mem0.Local.Embeddings;
using Microsoft.Extensions.Options;

namespace Mem0.Benchmarks;

/// <summary>
/// `minilm`: throughput of the local all-MiniLM-L6-v2 embedder at batch sizes 1, 16 and 32, and the process's
/// resident memory after loading the model and after embedding 1,000 texts. Optional argument: IntraOpThreads (default 2).
/// </summary>
public sealed class MiniLmBenchmark : IBenchmark
{
    private const int TextCount = 1_000;

    public string Name => "minilm";

    public string Description => "local all-MiniLM-L6-v2 embedder: texts/s at batch 1/16/32, resident memory";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var threads = args.Count > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var parsed) ? parsed : 2;
        var cacheDirectory = Path.Combine(Path.GetTempPath(), "mem0-bench-minilm");
        var texts = CreateTexts(TextCount);
        var baseline = ResidentMegabytes();
        var coldCache = !Directory.Exists(cacheDirectory);

        using var generator = new MiniLmEmbeddingGenerator(Options.Create(new LocalEmbeddingOptions
        {
            CacheDirectory = cacheDirectory,
            IntraOpThreads = threads,
            BatchSize = 32,
        }));

        var load = Stopwatch.StartNew();
        generator.EnsureLoaded();
        load.Stop();
        await generator.GenerateAsync(texts.Take(32), cancellationToken: cancellationToken);
        var afterLoad = ResidentMegabytes();

        output.WriteLine($"minilm: model all-MiniLM-L6-v2, {Environment.ProcessorCount} cores, IntraOpThreads={threads}");
        output.WriteLine(
            $"minilm: load {load.Elapsed.TotalMilliseconds:F0} ms ({(coldCache ? "cold cache: extraction + checksums" : "warm cache: checksums only")})");
        output.WriteLine($"minilm: resident before load {baseline:F0} MB, after load and a 32-text warm-up {afterLoad:F0} MB");

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
                $"minilm: batch {batch,2}: {count / watch.Elapsed.TotalSeconds,6:F0} texts/s ({watch.Elapsed.TotalMilliseconds / count:F2} ms/text over {count} texts)");
        }

        var all = Stopwatch.StartNew();
        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        all.Stop();
        output.WriteLine(
            $"minilm: {embeddings.Count} texts in one call (batches of 32): {embeddings.Count / all.Elapsed.TotalSeconds:F0} texts/s; resident after {ResidentMegabytes():F0} MB");
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
