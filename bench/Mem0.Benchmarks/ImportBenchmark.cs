using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mem0.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Benchmarks;

/// <summary>
/// Bulk import on the local server (SQLite, MiniLM, <c>infer: false</c>), end to end from the request to the event's
/// SUCCEEDED, against the same kind of items added one <c>POST /v3/memories/add/</c> at a time with <c>infer: false</c>,
/// and one at a time exactly as the Mem0 CLI's <c>import</c> sends them (inference left at its default, timed until every job ended),
/// and the raw embedder's throughput on the same texts. The paths alternate over several rounds and their times are
/// summed, so a load change on a shared machine hits all alike. Options: <c>--items 6000</c> <c>--single 600</c> <c>--cli 300</c> <c>--rounds 3</c> <c>--concurrency 1</c> <c>--batch 512</c>.
/// </summary>
public sealed class ImportBenchmark : IBenchmark
{
    public string Name => "import";

    public string Description => "bulk import items/s vs one add per item vs the raw MiniLM embedder (local server)";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rounds = int.Parse(Option(args, "--rounds", "3"), CultureInfo.InvariantCulture);
        var perRound = int.Parse(Option(args, "--items", "6000"), CultureInfo.InvariantCulture) / rounds;
        var singlePerRound = int.Parse(Option(args, "--single", "600"), CultureInfo.InvariantCulture) / rounds;
        var items = perRound * rounds;
        var concurrency = Option(args, "--concurrency", "1");
        var batch = Option(args, "--batch", "512");
        var single = singlePerRound * rounds;
        var cliPerRound = int.Parse(Option(args, "--cli", "300"), CultureInfo.InvariantCulture) / rounds;
        var cli = cliPerRound * rounds;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-bench-import-" + Guid.NewGuid().ToString("N"));
        var app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={dataDirectory}",
            $"--Mem0:AI:Local:CacheDirectory={Path.Combine(Path.GetTempPath(), "mem0-bench-minilm")}",
            "--Mem0:Server:PrintBanner=false",
            $"--Mem0:Jobs:ImportConcurrency={concurrency}",
            $"--Mem0:Jobs:ImportBatchSize={batch}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var key = (await app.Services.GetRequiredService<ServerState>().Bootstrap).GeneratedApiKey!;
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);

            var embedder = app.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            await embedder.GenerateAsync(Texts("warmup", 64), cancellationToken: cancellationToken);

            TimeSpan raw = default, bulk = default, oneByOne = default, cliStyle = default;
            int storedBulk = 0, storedSingle = 0, storedCli = 0;
            for (var round = 0; round < rounds; round++)
            {
                raw += await RawEmbedderAsync(embedder, Texts($"raw{round}", perRound), cancellationToken);
                bulk += await BulkImportAsync(client, $"bulk-user-{round}", Texts($"bulk{round}", perRound), cancellationToken);
                oneByOne += await OneByOneAsync(client, $"single-user-{round}", Texts($"single{round}", singlePerRound), cancellationToken);
                cliStyle += await CliStyleAsync(client, $"cli-user-{round}", Texts($"cli{round}", cliPerRound), cancellationToken);
                storedBulk += await CountAsync(client, $"bulk-user-{round}", cancellationToken);
                storedSingle += await CountAsync(client, $"single-user-{round}", cancellationToken);
                storedCli += await CountAsync(client, $"cli-user-{round}", cancellationToken);
            }

            var model = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
            output.WriteLine($"{model}, infer=false, SQLite; {items} items bulk, {single} items one by one, {rounds} alternating rounds; import chunks of {batch}, {concurrency} at once");
            output.WriteLine();
            output.WriteLine("| path | items | seconds | items/s | memories stored |");
            output.WriteLine("|---|---:|---:|---:|---:|");
            output.WriteLine(Row("raw embedder (calls of 32 texts)", items, raw, null));
            output.WriteLine(Row("bulk import, request → SUCCEEDED", items, bulk, storedBulk));
            output.WriteLine(Row("one POST /v3/memories/add/ per item, infer=false", single, oneByOne, storedSingle));
            output.WriteLine(Row("one POST /v3/memories/add/ per item as the CLI sends it (infer default), request → last SUCCEEDED", cli, cliStyle, storedCli));
            output.WriteLine();
            var bulkRate = items / bulk.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bulk vs item by item (infer=false both): {bulkRate / (single / oneByOne.TotalSeconds):F1}x; bulk vs the CLI's own requests: {bulkRate / (cli / cliStyle.TotalSeconds):F1}x (target >= 5x); bulk vs raw embedder: {100 * bulkRate / (items / raw.TotalSeconds):F0}% (target >= 80%)"));
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }

    private static async Task<TimeSpan> RawEmbedderAsync(IEmbeddingGenerator<string, Embedding<float>> embedder, List<string> texts, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < texts.Count; start += 32)
        {
            await embedder.GenerateAsync(texts.Skip(start).Take(32), cancellationToken: cancellationToken);
        }

        return watch.Elapsed;
    }

    private static async Task<TimeSpan> BulkImportAsync(HttpClient client, string user, List<string> texts, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(texts.Select(t => new { memory = t, user_id = user }));
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync(
            "/v1/memories/import/", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        response.EnsureSuccessStatusCode();
        var queued = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var eventId = queued.GetProperty("event_id").GetString()!;
        while (true)
        {
            var memoryEvent = await client.GetFromJsonAsync<JsonElement>($"/v1/event/{eventId}/", cancellationToken);
            var status = memoryEvent.GetProperty("status").GetString();
            if (status == "SUCCEEDED")
            {
                return watch.Elapsed;
            }

            if (status == "FAILED")
            {
                throw new InvalidOperationException("The import failed: " + memoryEvent.GetProperty("error"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    private static async Task<TimeSpan> OneByOneAsync(HttpClient client, string user, List<string> texts, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        foreach (var text in texts)
        {
            using var response = await client.PostAsJsonAsync(
                "/v3/memories/add/",
                new { messages = new[] { new { role = "user", content = text } }, user_id = user, infer = false },
                cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        return watch.Elapsed;
    }

    /// <summary>
    /// What <c>mem0 import</c> (@mem0/cli 0.2.13, <c>cmdImport</c>) sends: one add per item, <c>messages</c> with the text
    /// as a user message, <c>source: "CLI"</c>, no <c>infer</c> (so the default, true: an async add job per item; with no
    /// LLM configured the heuristic extractor runs). The CLI stops at the last 200; we time until the last job has ended.
    /// </summary>
    private static async Task<TimeSpan> CliStyleAsync(HttpClient client, string user, List<string> texts, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var eventIds = new List<string>(texts.Count);
        foreach (var text in texts)
        {
            using var response = await client.PostAsJsonAsync(
                "/v3/memories/add/",
                new { messages = new[] { new { role = "user", content = text } }, user_id = user, source = "CLI" },
                cancellationToken);
            response.EnsureSuccessStatusCode();
            var queued = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            eventIds.Add(queued.GetProperty("event_id").GetString()!);
        }

        foreach (var eventId in eventIds)
        {
            while (true)
            {
                var memoryEvent = await client.GetFromJsonAsync<JsonElement>($"/v1/event/{eventId}/", cancellationToken);
                var status = memoryEvent.GetProperty("status").GetString();
                if (status == "FAILED")
                {
                    throw new InvalidOperationException("A CLI-style add failed: " + memoryEvent.GetProperty("error"));
                }

                if (status == "SUCCEEDED")
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }

        return watch.Elapsed;
    }

    private static List<string> Texts(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => $"{prefix} note {i}: the user prefers {Topics[i % Topics.Length]} on {Days[i % Days.Length]}s and mentioned item {i * 7919 % 10007}.")];

    private static readonly string[] Topics = ["green tea", "long walks", "jazz records", "chess puzzles", "mountain biking", "sourdough baking", "sci-fi novels"];

    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    private static string Row(string path, int count, TimeSpan elapsed, int? stored) =>
        string.Create(CultureInfo.InvariantCulture, $"| {path} | {count} | {elapsed.TotalSeconds:F2} | {count / elapsed.TotalSeconds:F0} | {(stored is { } n ? n.ToString(CultureInfo.InvariantCulture) : "")} |");

    private static async Task<int> CountAsync(HttpClient client, string user, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync("/v3/memories/?page_size=1", new { filters = new { user_id = user } }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("count").GetInt32();
    }

    private static string Option(IReadOnlyList<string> args, string name, string fallback)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count ? args[index + 1] : fallback;
    }
}
