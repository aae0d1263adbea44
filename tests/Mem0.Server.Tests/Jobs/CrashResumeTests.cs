using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mem0.Testing.Jobs;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Jobs;

/// <summary>
/// A real Mem0.Server process with <c>AzureWebJobsStorage</c> set to Azurite, killed with SIGKILL in the middle of its
/// jobs and started again on the same data directory and task hub: each job resumes and ends SUCCEEDED with exactly
/// the expected memories, none missing and none twice.
/// </summary>
public sealed class CrashResumeTests : IAzuriteBackend, IDisposable
{
    private const string ApiKey = "m0-crash-test-key-0123456789abcdef";
    private const int ImportItems = 3000;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-crash-tests-" + Guid.NewGuid().ToString("N"));
    private readonly string _taskHub = Azurite.NewTaskHub();

    [JobFact]
    public async Task KillDuringImportAddAndDelete_RestartResumesEachJob_ExactMemories()
    {
        var gone = "crash-gone-" + Guid.NewGuid().ToString("N");
        var keep = "crash-keep-" + Guid.NewGuid().ToString("N");
        var adder = "crash-add-" + Guid.NewGuid().ToString("N");

        // First process: a small import that completes, then a large one killed once it is partly done.
        string importId;
        using (var first = await StartServerAsync())
        {
            using var client = Client(first);
            var seed = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson(ImportBody(gone, 300))));
            Assert.Equal("SUCCEEDED", (await WaitForEventAsync(client, seed.GetProperty("event_id").GetString()!)).GetProperty("status").GetString());

            var queued = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson(ImportBody(keep, ImportItems))));
            importId = queued.GetProperty("event_id").GetString()!;
            var progress = await WaitForProgressAsync(client, importId, minimum: 1);
            Assert.True(progress < ImportItems, $"The import ended ({progress} processed) before the process could be killed.");
            first.Kill();
        }

        // Second process: the import resumes; then an async add and a bulk delete are accepted and the process is killed at once.
        string addId;
        string deleteId;
        using (var second = await StartServerAsync())
        {
            using var client = Client(second);
            var import = await WaitForEventAsync(client, importId);
            Assert.Equal("SUCCEEDED", import.GetProperty("status").GetString());
            Assert.Equal(ImportItems, import.GetProperty("progress").GetProperty("processed").GetInt32());
            Assert.Equal(0, import.GetProperty("progress").GetProperty("failed").GetInt32());
            Assert.Equal(ImportItems, await CountDistinctAsync(client, keep));

            var add = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/add/", new
            {
                messages = new[] { new { role = "user", content = "I live in Lisbon." } },
                user_id = adder,
            }));
            addId = add.GetProperty("event_id").GetString()!;
            var delete = await ReadJsonAsync(await client.DeleteAsync($"/v1/memories/?user_id={gone}"));
            deleteId = delete.GetProperty("event_id").GetString()!;
            second.Kill();
        }

        // Third process: both jobs resume and end as they would have without the crash.
        using (var third = await StartServerAsync())
        {
            using var client = Client(third);
            var added = await WaitForEventAsync(client, addId);
            Assert.Equal("SUCCEEDED", added.GetProperty("status").GetString());
            var deleted = await WaitForEventAsync(client, deleteId);
            Assert.Equal("SUCCEEDED", deleted.GetProperty("status").GetString());

            Assert.Equal(0, await CountDistinctAsync(client, gone));
            Assert.Equal(ImportItems, await CountDistinctAsync(client, keep));
            var addedCount = await CountDistinctAsync(client, adder);
            Assert.Equal(1, addedCount);
            Assert.Equal(addedCount, added.GetProperty("results").GetArrayLength());

            // The durable backend talks to storage; it listens on nothing besides the API.
            Assert.Equal([third.Address.Port], third.ListeningPorts());
            third.Kill();
        }
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

    private Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(ApiKey, new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = Azurite.ConnectionString,
        ["Mem0__Jobs__TaskHub"] = _taskHub,
        ["Mem0__Jobs__ImportBatchSize"] = "250",

        // The shortest the provider allows: work a killed process had taken is taken again after this.
        ["Mem0__Jobs__MessageVisibilityTimeout"] = "00:00:35",
        ["Mem0__Server__DataDirectory"] = _dataDirectory,
        ["Mem0__Server__PrintBanner"] = "false",
        ["Logging__LogLevel__Default"] = "Warning",
    });

    private static HttpClient Client(ServerProcess server) => server.Client(ApiKey);

    private static async Task<JsonElement> WaitForEventAsync(HttpClient client, string eventId)
    {
        // A resumed job waits for the dead process's partition lease and hidden messages to expire (about 35 s here).
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (true)
        {
            var memoryEvent = await ReadJsonAsync(await client.GetAsync($"/v1/event/{eventId}/", timeout.Token));
            if (memoryEvent.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED")
            {
                return memoryEvent;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }

    /// <summary>Waits until the import has processed at least <paramref name="minimum"/> items; returns how many.</summary>
    private static async Task<int> WaitForProgressAsync(HttpClient client, string eventId, int minimum)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var memoryEvent = await ReadJsonAsync(await client.GetAsync($"/v1/event/{eventId}/", timeout.Token));
            var processed = memoryEvent.GetProperty("progress").GetProperty("processed").GetInt32();
            if (processed >= minimum || memoryEvent.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED")
            {
                return processed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    /// <summary>Lists every memory of the user, page by page, and counts distinct ids and distinct texts (they must agree).</summary>
    private static async Task<int> CountDistinctAsync(HttpClient client, string user)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var texts = new HashSet<string>(StringComparer.Ordinal);
        var listed = 0;
        var next = "/v3/memories/?page=1&page_size=200";
        while (next is not null)
        {
            var body = await ReadJsonAsync(await client.PostAsJsonAsync(next, new { filters = new { user_id = user } }));
            foreach (var memory in body.GetProperty("results").EnumerateArray())
            {
                listed++;
                ids.Add(memory.GetProperty("id").GetString()!);
                texts.Add(memory.GetProperty("memory").GetString()!);
            }

            next = body.GetProperty("next").GetString();
        }

        Assert.Equal(listed, ids.Count);
        Assert.Equal(listed, texts.Count);
        return listed;
    }

    private static string ImportBody(string user, int count)
    {
        var builder = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            builder.Append(i == 0 ? "" : ",").Append($$"""{"memory":"fact number {{i}} about {{user}}","user_id":"{{user}}"}""");
        }

        return builder.Append(']').ToString();
    }
}
