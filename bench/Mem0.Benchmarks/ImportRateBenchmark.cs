using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mem0.Core.Memories;
using Mem0.Local.Storage;
using Mem0.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Benchmarks;

/// <summary>
/// Bulk import throughput against the store's own insert rate: <c>POST /v1/memories/import/</c> (infer=false) on the
/// local server from the request to the event's SUCCEEDED, with an embedder that costs nothing (so only the job path
/// and the store are measured) and with the real local embedder, beside direct store inserts of the same change sets
/// (memories + history, as the import writes them). Options: <c>--items 20000</c> <c>--real 3000</c> <c>--batch 512</c>.
/// </summary>
public sealed class ImportRateBenchmark : IBenchmark
{
    private const int Dimensions = 384;

    public string Name => "import-rate";

    public string Description => "bulk import items/s with a 0 ms embedder and the real one, beside the store's insert rate";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var items = Int(args, "--items", 20_000);
        var real = Int(args, "--real", 3000);
        var batch = Int(args, "--batch", 512);

        var store = await StoreInsertRateAsync(items, batch, cancellationToken);
        var zero = await ServerImportAsync(items, batch, zeroEmbedder: true, cancellationToken);
        var withModel = real > 0 ? await ServerImportAsync(real, batch, zeroEmbedder: false, cancellationToken) : default;

        output.WriteLine($"infer=false, SQLite, import chunks of {batch}");
        output.WriteLine();
        output.WriteLine("| path | items | seconds | items/s | vs store |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        output.WriteLine(Row("store inserts (ApplyAsync, memories + history, batches of " + batch + ")", items, store, store));
        output.WriteLine(Row("bulk import, 0 ms embedder, request → SUCCEEDED", items, zero.Elapsed, store));
        output.WriteLine(Row("  of which the request (staging) until 202", items, zero.Staging, null));
        if (real > 0)
        {
            output.WriteLine(Row("raw local embedder (" + withModel.Model + ", calls of 32)", real, withModel.Raw!.Value, null));
            output.WriteLine(Row("bulk import, local embedder, request → SUCCEEDED", real, withModel.Elapsed, null));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"|  local embedder: import at {100 * withModel.Raw!.Value.TotalSeconds / withModel.Elapsed.TotalSeconds:F0} % of the raw embedder's rate | | | | |"));
        }
    }

    private static async Task<TimeSpan> StoreInsertRateAsync(int items, int batch, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "mem0-bench-store-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var database = new SqliteDatabase(Options.Create(new SqliteOptions { DataDirectory = directory }));
            var store = new SqliteMemoryStore(database, NullLogger<SqliteMemoryStore>.Instance);
            var vector = Vector();
            var now = DateTimeOffset.UtcNow;
            var texts = Texts("store", items);
            var watch = Stopwatch.StartNew();
            for (var start = 0; start < items; start += batch)
            {
                var added = new List<MemoryRecord>(batch);
                var history = new List<HistoryEntry>(batch);
                for (var i = start; i < Math.Min(items, start + batch); i++)
                {
                    var memory = new MemoryRecord
                    {
                        Id = Guid.NewGuid().ToString(),
                        ProjectId = "p",
                        Text = texts[i],
                        Hash = ContentHash.Compute(texts[i]),
                        Embedding = vector,
                        EmbeddingModel = "zero",
                        Scope = new MemoryScope("store-user"),
                        CreatedAt = now,
                        UpdatedAt = now,
                    };
                    added.Add(memory);
                    history.Add(new HistoryEntry
                    {
                        Id = Guid.NewGuid().ToString(),
                        ProjectId = "p",
                        MemoryId = memory.Id,
                        Event = HistoryEvent.Add,
                        NewMemory = memory.Text,
                        Scope = memory.Scope,
                        Actor = "import",
                        CreatedAt = now,
                        UpdatedAt = now,
                    });
                }

                await store.ApplyAsync("p", new MemoryChangeSet { Added = added, History = history }, cancellationToken);
            }

            return watch.Elapsed;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TryDelete(directory);
        }
    }

    private static async Task<(TimeSpan Elapsed, TimeSpan Staging, TimeSpan? Raw, string? Model)> ServerImportAsync(
        int items, int batch, bool zeroEmbedder, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-bench-import-rate-" + Guid.NewGuid().ToString("N"));
        var app = ServerApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                $"--Mem0:Server:DataDirectory={dataDirectory}",
                $"--Mem0:AI:Local:CacheDirectory={Path.Combine(Path.GetTempPath(), "mem0-bench-minilm")}",
                "--Mem0:Server:PrintBanner=false",
                $"--Mem0:Jobs:ImportBatchSize={batch}",
                "--Logging:LogLevel:Default=Warning",
            ],
            builder =>
            {
                if (zeroEmbedder)
                {
                    builder.Services.RemoveAll<IEmbeddingGenerator<string, Embedding<float>>>();
                    builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new ZeroCostEmbedder());
                }
            });
        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var key = (await app.Services.GetRequiredService<ServerState>().Bootstrap).GeneratedApiKey!;
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
            var embedder = app.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            await embedder.GenerateAsync(Texts("warmup", 64), cancellationToken: cancellationToken);

            // A small import first so the job path is warm (JIT, backend channel) before the timed one.
            await ImportAsync(client, "warm-user", Texts("warm", 50), cancellationToken);

            TimeSpan? raw = null;
            if (!zeroEmbedder)
            {
                var texts = Texts("raw", items);
                var rawWatch = Stopwatch.StartNew();
                for (var start = 0; start < texts.Count; start += 32)
                {
                    await embedder.GenerateAsync(texts.Skip(start).Take(32), cancellationToken: cancellationToken);
                }

                raw = rawWatch.Elapsed;
            }

            var (elapsed, staging) = await ImportAsync(client, "bulk-user", Texts("bulk", items), cancellationToken);
            var count = await CountAsync(client, "bulk-user", cancellationToken);
            if (count != items)
            {
                throw new InvalidOperationException($"The import stored {count} of {items} memories.");
            }

            return (elapsed, staging, raw, embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            TryDelete(dataDirectory);
        }
    }

    private static async Task<(TimeSpan Elapsed, TimeSpan Staging)> ImportAsync(HttpClient client, string user, List<string> texts, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(texts.Select(t => new { memory = t, user_id = user }));
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync("/v1/memories/import/", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        response.EnsureSuccessStatusCode();
        var staging = watch.Elapsed;
        var eventId = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("event_id").GetString()!;
        while (true)
        {
            var memoryEvent = await client.GetFromJsonAsync<JsonElement>($"/v1/event/{eventId}/", cancellationToken);
            switch (memoryEvent.GetProperty("status").GetString())
            {
                case "SUCCEEDED":
                    return (watch.Elapsed, staging);
                case "FAILED":
                    throw new InvalidOperationException("The import failed: " + memoryEvent.GetProperty("error"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
        }
    }

    private static async Task<int> CountAsync(HttpClient client, string user, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsJsonAsync("/v3/memories/?page_size=1", new { filters = new { user_id = user } }, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("count").GetInt32();
    }

    private static List<string> Texts(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => $"{prefix} note {i}: the user prefers item {i * 7919 % 10007} on weekdays and mentioned {i % 97}.")];

    private static float[] Vector()
    {
        var vector = new float[Dimensions];
        vector[0] = 1;
        return vector;
    }

    private static string Row(string path, int count, TimeSpan elapsed, TimeSpan? store) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {path} | {count:N0} | {elapsed.TotalSeconds:F2} | {count / elapsed.TotalSeconds:F0} | {(store is { } s ? $"{100 * s.TotalSeconds / elapsed.TotalSeconds:F0} %" : "")} |");

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
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

    /// <summary>Returns one fixed unit vector per text at once: the job path and the store are all that is left to time.</summary>
    private sealed class ZeroCostEmbedder : IEmbeddingGenerator<string, Embedding<float>>
    {
        private static readonly EmbeddingGeneratorMetadata Metadata = new("zero", null, "zero-cost", Dimensions);
        private readonly float[] _vector = Vector();

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var _ in values)
            {
                result.Add(new Embedding<float>(_vector) { ModelId = "zero-cost" });
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata : null;

        public void Dispose()
        {
        }
    }
}
