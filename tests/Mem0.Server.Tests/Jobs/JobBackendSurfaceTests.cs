using System.Net.Http.Json;
using System.Text.Json;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Jobs;

/// <summary>
/// The embedded job backend adds nothing to the server's surface: no port besides the API's (it used to listen on an
/// unauthenticated gRPC port any local process could drive), and nothing of its own in the log at Information level.
/// </summary>
public sealed class JobBackendSurfaceTests : IDisposable
{
    private const string ApiKey = "m0-surface-test-key-0123456789abcdef";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-surface-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RunJobs_EmbeddedBackend_OnlyTheApiPortListensAndTheLogHasNoBackendLines()
    {
        using var server = await ServerProcess.StartAsync(ApiKey, new Dictionary<string, string?>
        {
            ["Mem0__Server__DataDirectory"] = _dataDirectory,
            ["Logging__LogLevel__Default"] = "Information",
            ["AzureWebJobsStorage"] = null,
        });
        using var client = server.Client(ApiKey);

        var add = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = new[] { new { role = "user", content = "I live in Lisbon." } },
            user_id = "surface",
        }));
        var import = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson("""[{"memory": "likes jazz", "user_id": "surface"}]""")));
        Assert.Equal("SUCCEEDED", (await WaitForEventAsync(client, add.GetProperty("event_id").GetString()!)).GetProperty("status").GetString());
        Assert.Equal("SUCCEEDED", (await WaitForEventAsync(client, import.GetProperty("event_id").GetString()!)).GetProperty("status").GetString());

        Assert.Equal([server.Address.Port], server.ListeningPorts());
        var lines = server.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.DoesNotContain(lines, l => l.StartsWith("info: ", StringComparison.Ordinal)
            && (l.Contains("DurableTask", StringComparison.Ordinal) || l.Contains("Grpc", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("Channel to backend", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("jobs           : in memory: a restart fails the jobs in flight", StringComparison.Ordinal));
        var listening = lines.Where(l => l.Contains("Now listening on", StringComparison.Ordinal)).ToList();
        var only = Assert.Single(listening);
        Assert.Contains(server.Address.ToString().TrimEnd('/'), only, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }

    private static async Task<JsonElement> WaitForEventAsync(HttpClient client, string eventId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var memoryEvent = await ReadJsonAsync(await client.GetAsync($"/v1/event/{eventId}/", timeout.Token));
            if (memoryEvent.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED")
            {
                return memoryEvent;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }
}
