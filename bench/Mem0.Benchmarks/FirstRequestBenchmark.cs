using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Benchmarks;

/// <summary>
/// The first requests after start against the next ones, with the start-up warm-up on and off: an inferring add
/// (heuristic extractor, local embedder) timed until its event SUCCEEDED, then a search. The server idles
/// <c>--idle-ms 3000</c> after start first (as a server does before its first user). Options: <c>--rounds 3</c>.
/// </summary>
public sealed class FirstRequestBenchmark : IBenchmark
{
    public string Name => "first-request";

    public string Description => "first vs second inferring add and search after start, warm-up on and off";

    public async Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var rounds = Int(args, "--rounds", 3);
        var idle = TimeSpan.FromMilliseconds(Int(args, "--idle-ms", 3000));
        output.WriteLine($"local server, SQLite, local embedder, heuristic extractor; median of {rounds} fresh starts; ms");
        output.WriteLine();
        output.WriteLine("| warm-up | start until listening | 1st add → SUCCEEDED | 2nd add | 1st search | 2nd search |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var warmUp in new[] { false, true })
        {
            var samples = new List<double[]>();
            for (var round = 0; round < rounds; round++)
            {
                samples.Add(await OneStartAsync(warmUp, idle, cancellationToken));
            }

            var medians = Enumerable.Range(0, 5).Select(i => samples.Select(s => s[i]).Order().ElementAt(samples.Count / 2)).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(warmUp ? "on" : "off")} | {medians[0]:F0} | {medians[1]:F0} | {medians[2]:F0} | {medians[3]:F0} | {medians[4]:F0} |"));
        }
    }

    private static async Task<double[]> OneStartAsync(bool warmUp, TimeSpan idle, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-bench-first-" + Guid.NewGuid().ToString("N"));
        var start = Stopwatch.StartNew();
        var app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={dataDirectory}",
            $"--Mem0:AI:Local:CacheDirectory={Path.Combine(Path.GetTempPath(), "mem0-bench-minilm")}",
            "--Mem0:Server:PrintBanner=false",
            $"--Mem0:Server:WarmUp={warmUp}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        try
        {
            await app.StartAsync(cancellationToken);
            var listening = start.Elapsed.TotalMilliseconds;
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var key = (await app.Services.GetRequiredService<ServerState>().Bootstrap).GeneratedApiKey!;
            using var client = new HttpClient { BaseAddress = new Uri(address) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);

            // The HTTP client's own first connection is not the server's cost.
            (await client.GetAsync("/v1/ping/", cancellationToken)).Dispose();
            await Task.Delay(idle, cancellationToken);

            var firstAdd = await AddAsync(client, "I moved to Lisbon in 2021 and work as a nurse.", cancellationToken);
            var secondAdd = await AddAsync(client, "My sister Ana plays the cello every Sunday.", cancellationToken);
            var firstSearch = await SearchAsync(client, "where does the user live?", cancellationToken);
            var secondSearch = await SearchAsync(client, "what instrument does Ana play?", cancellationToken);
            return [listening, firstAdd, secondAdd, firstSearch, secondSearch];
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
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

    private static async Task<double> AddAsync(HttpClient client, string text, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync(
            "/v3/memories/add/", new { messages = new[] { new { role = "user", content = text } }, user_id = "first-user" }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var eventId = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("event_id").GetString()!;
        while (true)
        {
            var memoryEvent = await client.GetFromJsonAsync<JsonElement>($"/v1/event/{eventId}/", cancellationToken);
            switch (memoryEvent.GetProperty("status").GetString())
            {
                case "SUCCEEDED":
                    return watch.Elapsed.TotalMilliseconds;
                case "FAILED":
                    throw new InvalidOperationException("The add failed: " + memoryEvent.GetProperty("error"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2), cancellationToken);
        }
    }

    private static async Task<double> SearchAsync(HttpClient client, string query, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/v3/memories/search/", new { query, filters = new { user_id = "first-user" } }, cancellationToken);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return watch.Elapsed.TotalMilliseconds;
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
