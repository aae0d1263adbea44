using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mem0.Testing.Jobs;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Jobs;

/// <summary>The jobs end to end over real HTTP, on each of the local server's backends (one derived class per backend).</summary>
public abstract class JobEndpointsTests(ServerFixture server)
{
    [JobFact]
    public async Task AsyncAdd_ThenPollEvent_EndsSucceededWithResults()
    {
        using var client = server.Client();
        var user = "jobs-add-" + Guid.NewGuid().ToString("N");

        var queued = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = new[] { new { role = "user", content = "I live in Lisbon and I love green tea." } },
            user_id = user,
        }));
        Assert.Equal("PENDING", queued.GetProperty("status").GetString());
        var memoryEvent = await WaitForEventAsync(client, queued.GetProperty("event_id").GetString()!);

        Assert.Equal("SUCCEEDED", memoryEvent.GetProperty("status").GetString());
        Assert.Equal("ADD", memoryEvent.GetProperty("event_type").GetString());
        var results = memoryEvent.GetProperty("results");
        Assert.True(results.GetArrayLength() > 0);
        Assert.All(results.EnumerateArray(), r => Assert.Equal(user, r.GetProperty("user_id").GetString()));
        Assert.NotNull(memoryEvent.GetProperty("completed_at").GetString());

        // The server runs without an LLM: every result says the heuristic extractor produced it.
        Assert.All(results.EnumerateArray(), r => Assert.Equal("heuristic", r.GetProperty("extractor").GetString()));
    }

    [JobFact]
    public async Task Import_TenThousandItems_AllStoredAndReimportAddsNothing()
    {
        using var client = server.Client();
        var user = "jobs-import-" + Guid.NewGuid().ToString("N");
        var body = ImportBody(user, 10_000);

        var queued = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson(body)));
        Assert.Equal("PENDING", queued.GetProperty("status").GetString());
        Assert.Equal(10_000, queued.GetProperty("total").GetInt32());
        var memoryEvent = await WaitForEventAsync(client, queued.GetProperty("event_id").GetString()!);

        Assert.Equal("SUCCEEDED", memoryEvent.GetProperty("status").GetString());
        Assert.Equal("IMPORT", memoryEvent.GetProperty("event_type").GetString());
        var progress = memoryEvent.GetProperty("progress");
        Assert.Equal(10_000, progress.GetProperty("total").GetInt32());
        Assert.Equal(10_000, progress.GetProperty("processed").GetInt32());
        Assert.Equal(0, progress.GetProperty("failed").GetInt32());
        Assert.Equal(10_000, await CountAsync(client, user));

        var again = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson(body)));
        var second = await WaitForEventAsync(client, again.GetProperty("event_id").GetString()!);
        Assert.Equal("SUCCEEDED", second.GetProperty("status").GetString());
        Assert.Equal(10_000, await CountAsync(client, user));
    }

    [JobFact]
    public async Task Import_InvalidItems_AreListedWithIndexAndReason()
    {
        using var client = server.Client();
        var user = "jobs-bad-" + Guid.NewGuid().ToString("N");
        var body = $$$"""
            {"infer": false, "items": [
              {"memory": "likes jazz", "user_id": "{{{user}}}"},
              {"user_id": "{{{user}}}"},
              {"text": "no owner"},
              {"content": "plays chess", "user_id": "{{{user}}}", "metadata": {"source": "csv"}}
            ]}
            """;

        var queued = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson(body)));
        var memoryEvent = await WaitForEventAsync(client, queued.GetProperty("event_id").GetString()!);

        Assert.Equal("SUCCEEDED", memoryEvent.GetProperty("status").GetString());
        var progress = memoryEvent.GetProperty("progress");
        Assert.Equal(4, progress.GetProperty("processed").GetInt32());
        Assert.Equal(2, progress.GetProperty("failed").GetInt32());
        var failures = progress.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal([1, 2], failures.Select(f => f.GetProperty("index").GetInt32()));
        Assert.Contains("memory", failures[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("user_id", failures[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("failed", memoryEvent.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync(client, user));
    }

    [JobFact]
    public async Task Import_NotAnArray_Returns400()
    {
        using var client = server.Client();

        var response = await client.PostAsync("/v1/memories/import/", RawJson("\"just a string\""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [JobFact]
    public async Task DeleteAll_ThenPollEvent_DeletesEverythingOfTheUser()
    {
        using var client = server.Client();
        var user = "jobs-del-" + Guid.NewGuid().ToString("N");
        var other = "jobs-keep-" + Guid.NewGuid().ToString("N");
        var import = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson(ImportBody(user, 250))));
        await WaitForEventAsync(client, import.GetProperty("event_id").GetString()!);
        var keep = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson(ImportBody(other, 3))));
        await WaitForEventAsync(client, keep.GetProperty("event_id").GetString()!);

        var queued = await ReadJsonAsync(await client.DeleteAsync($"/v1/memories/?user_id={user}"));
        Assert.Equal("Delete in progress. This may take some time.", queued.GetProperty("message").GetString());
        var memoryEvent = await WaitForEventAsync(client, queued.GetProperty("event_id").GetString()!);

        Assert.Equal("SUCCEEDED", memoryEvent.GetProperty("status").GetString());
        Assert.Equal(250, memoryEvent.GetProperty("progress").GetProperty("processed").GetInt32());
        Assert.Equal(0, await CountAsync(client, user));
        Assert.Equal(3, await CountAsync(client, other));
    }

    [JobFact]
    public async Task EntityDelete_ThenPollEvent_Succeeds()
    {
        using var client = server.Client();
        var user = "jobs-entity-" + Guid.NewGuid().ToString("N");
        var import = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson(ImportBody(user, 5))));
        await WaitForEventAsync(client, import.GetProperty("event_id").GetString()!);

        var queued = await ReadJsonAsync(await client.DeleteAsync($"/v2/entities/user/{user}/"));
        var memoryEvent = await WaitForEventAsync(client, queued.GetProperty("event_id").GetString()!);

        Assert.Equal("SUCCEEDED", memoryEvent.GetProperty("status").GetString());
        Assert.Equal(0, await CountAsync(client, user));
    }

    [JobFact]
    public async Task AsyncAdd_TwentyConcurrentAddsOfOneFact_LeaveOneMemory()
    {
        using var client = server.Client();
        var user = "jobs-race-" + Guid.NewGuid().ToString("N");
        var adds = Enumerable.Range(0, 20).Select(_ => client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = new[] { new { role = "user", content = "My favourite colour is teal." } },
            user_id = user,
        }));

        var responses = await Task.WhenAll(adds);
        foreach (var response in responses)
        {
            var queued = await ReadJsonAsync(response);
            var memoryEvent = await WaitForEventAsync(client, queued.GetProperty("event_id").GetString()!);
            Assert.Equal("SUCCEEDED", memoryEvent.GetProperty("status").GetString());
        }

        Assert.Equal(1, await CountAsync(client, user));
    }

    [JobFact]
    public async Task ListEvents_FilteredByStatusAndType_ReturnsOnlyMatching()
    {
        using var client = server.Client();
        var user = "jobs-list-" + Guid.NewGuid().ToString("N");
        var import = await ReadJsonAsync(await client.PostAsync("/v1/memories/import/", RawJson(ImportBody(user, 2))));
        var id = import.GetProperty("event_id").GetString()!;
        await WaitForEventAsync(client, id);

        var body = await ReadJsonAsync(await client.GetAsync("/v1/events/?status=SUCCEEDED&event_type=IMPORT"));

        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(results, e => e.GetProperty("id").GetString() == id);
        Assert.All(results, e =>
        {
            Assert.Equal("SUCCEEDED", e.GetProperty("status").GetString());
            Assert.Equal("IMPORT", e.GetProperty("event_type").GetString());
        });
    }

    /// <summary>Polls the event over HTTP, as a client does, until it has ended (the instance itself is purged as it ends).</summary>
    private static async Task<JsonElement> WaitForEventAsync(HttpClient client, string eventId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var memoryEvent = await ReadJsonAsync(await client.GetAsync($"/v1/event/{eventId}/", timeout.Token));
            if (memoryEvent.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED")
            {
                return memoryEvent;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    private static async Task<int> CountAsync(HttpClient client, string user)
    {
        var body = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/?page_size=1", new { filters = new { user_id = user } }));
        return body.GetProperty("count").GetInt32();
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

/// <summary>The job suite on the embedded backend (in memory, no other process).</summary>
[Collection(ServerCollection.Name)]
public sealed class InMemoryJobEndpointsTests(ServerFixture server) : JobEndpointsTests(server);

/// <summary>The job suite on the Durable Task Azure Storage provider over Azurite (<c>AzureWebJobsStorage</c> set).</summary>
[Collection(AzuriteServerCollection.Name)]
public sealed class AzureStorageJobEndpointsTests(AzuriteServerFixture server) : JobEndpointsTests(server), IAzuriteBackend;
