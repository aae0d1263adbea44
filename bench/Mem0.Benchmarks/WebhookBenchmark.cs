using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Server.Hosting;
using Mem0.Testing.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Benchmarks;

/// <summary>
/// Webhook delivery on the local server (SQLite outbox and delivery queue, MiniLM, <c>infer: false</c> adds): writes
/// are made as fast as the server accepts them, and each delivery's latency is the time from the write's answer to the
/// receiver getting it. Scenarios: one healthy webhook; three healthy webhooks (fan-out); one healthy webhook next to
/// one whose receiver never answers (2 s attempt timeout, as in issue 21). Options: <c>--writes 600</c>
/// <c>--concurrency 4</c>.
/// </summary>
public sealed class WebhookBenchmark : IBenchmark
{
    public string Name => "webhooks";

    public string Description => "webhook drain rate and write-to-delivery latency, healthy and next to a hanging receiver (local server)";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var writes = int.Parse(Option(args, "--writes", "600"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Option(args, "--concurrency", "4"), CultureInfo.InvariantCulture);

        output.WriteLine($"MiniLM, SQLite, infer=false; {writes} adds per scenario, {concurrency} at once; latency = write answered → receiver got it");
        output.WriteLine();
        output.WriteLine("| scenario | writes/s accepted | deliveries | drain s (first write → last delivery) | deliveries/s | p50 ms | p95 ms | max ms |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        output.WriteLine(await RunScenarioAsync("1 healthy webhook", writes, concurrency, healthy: 1, hanging: false, cancellationToken));
        output.WriteLine(await RunScenarioAsync("3 healthy webhooks", writes, concurrency, healthy: 3, hanging: false, cancellationToken));
        output.WriteLine(await RunScenarioAsync("1 healthy + 1 hanging (2 s timeout)", writes, concurrency, healthy: 1, hanging: true, cancellationToken));
    }

    private static async Task<string> RunScenarioAsync(string name, int writes, int concurrency, int healthy, bool hanging, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-bench-webhooks-" + Guid.NewGuid().ToString("N"));
        var app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={dataDirectory}",
            $"--Mem0:AI:Local:CacheDirectory={Path.Combine(Path.GetTempPath(), "mem0-bench-minilm")}",
            "--Mem0:Server:PrintBanner=false",
            "--Mem0:Webhooks:AttemptTimeout=00:00:02",
            "--environment=Development",
            "--Logging:LogLevel:Default=Error",
        ]);
        var receivers = new List<WebhookReceiver>();
        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var key = (await app.Services.GetRequiredService<ServerState>().Bootstrap).GeneratedApiKey!;
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
            var project = (await client.GetFromJsonAsync<JsonElement>("/v1/ping/", cancellationToken)).GetProperty("project_id").GetString();

            for (var i = 0; i < healthy + (hanging ? 1 : 0); i++)
            {
                var receiver = await WebhookReceiver.StartAsync();
                receiver.HangAll = hanging && i == healthy;
                receivers.Add(receiver);
                using var created = await client.PostAsJsonAsync(
                    $"/api/v1/webhooks/projects/{project}/", new { name = "bench", url = receiver.Url, event_types = new[] { "memory_add" } }, cancellationToken);
                created.EnsureSuccessStatusCode();
            }

            // Warm the embedder so the first writes do not pay for loading it.
            using (var warm = await client.PostAsJsonAsync("/v1/memories/search/", new { query = "warm up", user_id = "warm" }, cancellationToken))
            {
                warm.EnsureSuccessStatusCode();
            }

            var answered = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, writes), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                using var response = await client.PostAsJsonAsync(
                    "/v3/memories/add/",
                    new { messages = new[] { new { role = "user", content = $"Bench fact {i}: my locker number is {i * 7}" } }, user_id = "bench-" + (i % 10), infer = false },
                    ct);
                response.EnsureSuccessStatusCode();
                var now = DateTimeOffset.UtcNow;
                foreach (var result in (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("results").EnumerateArray())
                {
                    answered[result.GetProperty("id").GetString()!] = now;
                }
            });
            var writeSeconds = clock.Elapsed.TotalSeconds;

            var healthyReceivers = receivers.Take(healthy).ToList();
            var expected = answered.Count * healthy;
            while (healthyReceivers.Sum(r => r.Succeeded.Count) < expected && clock.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(10, cancellationToken);
            }

            var latencies = new LatencySamples();
            var last = started;
            foreach (var received in healthyReceivers.SelectMany(r => r.Succeeded))
            {
                var memoryId = JsonDocument.Parse(received.Body).RootElement.GetProperty("event_details").GetProperty("id").GetString()!;
                if (answered.TryGetValue(memoryId, out var at))
                {
                    latencies.Add(received.ReceivedAt - at);
                }

                last = received.ReceivedAt > last ? received.ReceivedAt : last;
            }

            var delivered = healthyReceivers.Sum(r => r.Succeeded.Count);
            var drain = (last - started).TotalSeconds;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {answered.Count / writeSeconds:F0} | {delivered} of {expected} | {drain:F1} | {delivered / drain:F0} | {latencies.Percentile(50):F0} | {latencies.Percentile(95):F0} | {latencies.Percentile(100):F0} |");
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            foreach (var receiver in receivers)
            {
                await receiver.DisposeAsync();
            }

            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        }
    }

    private static string Option(IReadOnlyList<string> args, string name, string fallback)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count ? args[index + 1] : fallback;
    }
}
