using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Core.Webhooks;
using Mem0.Testing.Webhooks;
using Xunit.Abstractions;

namespace Mem0.Server.Tests.Webhooks;

/// <summary>
/// The reliability promises of webhooks, tried against the built server as a real process: kill -9 at the worst
/// moments and restart on the same data, a hanging receiver next to a healthy one, disabled webhooks, dead letters
/// and redelivery, webhooks created after writes, and ordering by the payload's sequence.
/// </summary>
public sealed class WebhookReliabilityProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-webhook-process-" + Guid.NewGuid().ToString("N"));
    private readonly List<ServerProcess> _servers = [];
    private readonly List<WebhookReceiver> _receivers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        foreach (var receiver in _receivers)
        {
            await receiver.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public async Task KillDuringBurst_AfterRestart_EveryAcknowledgedAddIsDelivered()
    {
        var receiver = await ReceiverAsync();
        var server = await StartAsync();
        await CreateWebhookAsync(server, receiver.Url, ["memory_add"]);
        // Every attempt is in flight (hanging) or queued when the process dies: none has been answered.
        receiver.HangAll = true;

        var acknowledged = await AddManyAsync(server, 200, concurrency: 4);
        server.Kill();
        var attemptedBeforeKill = receiver.Received.Count;
        receiver.HangAll = false;

        Assert.Empty(receiver.Succeeded);
        await StartAsync();
        await EventuallyAsync(() => SucceededMemoryIds(receiver).IsSupersetOf(acknowledged), () => $"{SucceededMemoryIds(receiver).Count} of 200 delivered");
        Assert.Equal(acknowledged.Order(), SucceededMemoryIds(receiver).Order());
        output.WriteLine($"attempts hanging at the kill: {attemptedBeforeKill}; delivered after the restart: all 200");
    }

    [AzuriteFact]
    public async Task StorageQueue_KillDuringBurst_AfterRestart_EveryAcknowledgedAddIsDelivered()
    {
        // AzureWebJobsStorage moves deliveries to Storage queues (Azurite here), as in the Functions app.
        var queue = "wh" + Guid.NewGuid().ToString("N");
        (string, string)[] settings =
        [
            ("AzureWebJobsStorage", AzuriteFactAttribute.ConnectionString!),
            ("Mem0:Webhooks:QueueName", queue),
            ("Mem0:Webhooks:PoisonQueueName", queue + "-poison"),
            ("Mem0:Jobs:TaskHub", queue),
            ("Mem0:Webhooks:AttemptTimeout", "00:00:05"),
        ];
        var receiver = await ReceiverAsync();
        var server = await StartAsync(settings);
        await CreateWebhookAsync(server, receiver.Url, ["memory_add"]);
        receiver.HangAll = true;

        var acknowledged = await AddManyAsync(server, 100, concurrency: 4);
        server.Kill();
        receiver.HangAll = false;

        Assert.Empty(receiver.Succeeded);
        await StartAsync(settings);
        // Messages leased by the killed process reappear when their lease ends (attempt timeout + 15 s).
        await EventuallyAsync(() => SucceededMemoryIds(receiver).IsSupersetOf(acknowledged), () => $"{SucceededMemoryIds(receiver).Count} of 100 delivered");
        Assert.Equal(acknowledged.Order(), SucceededMemoryIds(receiver).Order());
    }

    [Fact]
    public async Task KillWhileRetriesWait_AfterRestart_EveryRetryIsDelivered()
    {
        var receiver = await ReceiverAsync();
        receiver.Script([.. Enumerable.Repeat(500, 20)]);
        var server = await StartAsync(("Mem0:Webhooks:InitialRetryDelay", "00:00:04"), ("Mem0:Webhooks:MaxRetryDelay", "00:00:04"));
        await CreateWebhookAsync(server, receiver.Url, ["memory_add"]);
        var acknowledged = await AddManyAsync(server, 20, concurrency: 1);
        await EventuallyAsync(() => receiver.Received.Count >= 20, () => $"{receiver.Received.Count} first attempts");

        server.Kill();
        Assert.True(SucceededMemoryIds(receiver).Count < 20, "some retries must still be waiting at the kill");
        output.WriteLine($"requests before the kill: {receiver.Received.Count}");
        await StartAsync(("Mem0:Webhooks:InitialRetryDelay", "00:00:04"), ("Mem0:Webhooks:MaxRetryDelay", "00:00:04"));

        await EventuallyAsync(() => SucceededMemoryIds(receiver).IsSupersetOf(acknowledged), () => $"{SucceededMemoryIds(receiver).Count} of 20 retried");
    }

    [Fact]
    public async Task HangingReceiver_HealthyWebhookStillGetsEverything_AndTheHangingOneHoldsOnlyItsShare()
    {
        var hanging = await ReceiverAsync();
        hanging.Script([.. Enumerable.Repeat(new ScriptedAnswer(200, Hang: true), 100)]);
        var healthy = await ReceiverAsync();
        // Attempts to the hanging receiver never end during the test: any head-of-line blocking would stall the healthy one.
        var server = await StartAsync(("Mem0:Webhooks:AttemptTimeout", "00:05:00"));
        await CreateWebhookAsync(server, hanging.Url, ["memory_add"]);
        await CreateWebhookAsync(server, healthy.Url, ["memory_add"]);

        var acknowledged = await AddManyAsync(server, 30, concurrency: 2);

        await EventuallyAsync(() => SucceededMemoryIds(healthy).IsSupersetOf(acknowledged), () => $"{SucceededMemoryIds(healthy).Count} of 30 to the healthy webhook");
        Assert.Empty(hanging.Succeeded);
        Assert.InRange(hanging.Received.Count, 1, new WebhookOptions().MaxConcurrentDeliveriesPerWebhook);
    }

    [Fact]
    public async Task DisabledWebhook_ChangesAreListedAsSkipped_AndRedeliveredAfterReenabling()
    {
        var receiver = await ReceiverAsync();
        var server = await StartAsync();
        var webhookId = await CreateWebhookAsync(server, receiver.Url, ["memory_add"]);
        await SetActiveAsync(server, webhookId, false);

        var acknowledged = await AddManyAsync(server, 3, concurrency: 1);
        await EventuallyAsync(async () => (await DeliveriesAsync(server, webhookId)).Count(d => d.Status == "skipped") == 3, () => "3 skipped deliveries listed");
        var skipped = await DeliveriesAsync(server, webhookId);
        Assert.All(skipped, d => Assert.True(d.CanRedeliver));
        Assert.Empty(receiver.Received);

        await SetActiveAsync(server, webhookId, true);
        foreach (var delivery in skipped)
        {
            using var response = await server.Client.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{delivery.DeliveryId}/redeliver/", null);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await EventuallyAsync(() => SucceededMemoryIds(receiver).SetEquals(acknowledged), () => $"{SucceededMemoryIds(receiver).Count} of 3 redelivered");
        await EventuallyAsync(async () => (await DeliveriesAsync(server, webhookId)).All(d => d.Status == "delivered"), () => "all listed as delivered");
        using var again = await server.Client.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{skipped[0].DeliveryId}/redeliver/", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task DeadLetter_IsListedWithItsError_SurvivesKill_AndIsRedeliveredOnRequest()
    {
        var receiver = await ReceiverAsync();
        receiver.Script(500, 503);
        (string, string)[] settings = [("Mem0:Webhooks:MaxAttempts", "2"), ("Mem0:Webhooks:InitialRetryDelay", "00:00:01")];
        var server = await StartAsync(settings);
        var webhookId = await CreateWebhookAsync(server, receiver.Url, ["memory_add"]);
        var memoryId = (await AddManyAsync(server, 1, concurrency: 1)).Single();

        await EventuallyAsync(async () => (await DeliveriesAsync(server, webhookId)).Any(d => d.Status == "dead_lettered"), () => "dead letter listed");
        server.Kill();
        server = await StartAsync(settings);

        var dead = Assert.Single(await DeliveriesAsync(server, webhookId));
        Assert.Equal("dead_lettered", dead.Status);
        Assert.Equal(2, dead.Attempts);
        Assert.Equal(503, dead.ResponseCode);
        Assert.False(string.IsNullOrEmpty(dead.LastError));
        using (var response = await server.Client.PostAsync($"/api/v1/webhooks/{webhookId}/deliveries/{dead.DeliveryId}/redeliver/", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await EventuallyAsync(() => receiver.Received.Count == 3, () => "redelivered");
        Assert.Equal(memoryId, MemoryId(receiver.Received[2]));
        await EventuallyAsync(async () => (await DeliveriesAsync(server, webhookId)).Single().Status == "delivered", () => "listed as delivered");
        Assert.All(receiver.Received, r => Assert.Equal(dead.DeliveryId, r.Header(WebhookSigner.DeliveryIdHeader)));
    }

    [Fact]
    public async Task WebhookCreatedAfterWrites_ReceivesOnlyTheLaterChanges()
    {
        var receiver = await ReceiverAsync();
        var server = await StartAsync();
        await AddManyAsync(server, 5, concurrency: 1);
        var webhookId = await CreateWebhookAsync(server, receiver.Url, ["memory_add"]);

        var later = (await AddManyAsync(server, 1, concurrency: 1)).Single();
        await EventuallyAsync(() => AttemptedMemoryIds(receiver).Contains(later), () => "the later change delivered");
        // A restart sweeps the outbox again; nothing older may surface for this webhook.
        server.Kill();
        server = await StartAsync();
        var marker = await CreateWebhookAsync(server, receiver.Url + "?marker", ["memory_add"]);
        var last = (await AddManyAsync(server, 1, concurrency: 1)).Single();
        await EventuallyAsync(() => receiver.Received.Count(r => MemoryId(r) == last) == 2, () => "the last change delivered to both webhooks");

        Assert.Equal(new[] { later, last }.Order(), AttemptedMemoryIds(receiver, webhookId).Order());

        // The server logs a delivery after the receiver answered it, so the log may trail the receiver by a moment.
        await EventuallyAsync(
            async () => (await DeliveriesAsync(server, webhookId)).Count >= 2 && (await DeliveriesAsync(server, marker)).Count >= 1,
            () => "the deliveries logged");
        Assert.Equal(2, (await DeliveriesAsync(server, webhookId)).Count);
        Assert.Single(await DeliveriesAsync(server, marker));
    }

    [Fact]
    public async Task RetriedEvents_ArriveOutOfOrder_ButSequenceOrdersThemPerMemory()
    {
        var receiver = await ReceiverAsync();
        receiver.Script(500);
        var server = await StartAsync(("Mem0:Webhooks:InitialRetryDelay", "00:00:01"));
        await CreateWebhookAsync(server, receiver.Url, ["memory_add", "memory_update", "memory_delete"]);
        var memoryId = (await AddManyAsync(server, 1, concurrency: 1)).Single();
        using (var update = await server.Client.PutAsJsonAsync($"/v1/memories/{memoryId}/", new { text = "I like green tea" }))
        {
            update.EnsureSuccessStatusCode();
        }

        using (var delete = await server.Client.DeleteAsync($"/v1/memories/{memoryId}/"))
        {
            delete.EnsureSuccessStatusCode();
        }

        await EventuallyAsync(() => receiver.Received.Select(r => r.Header(WebhookSigner.DeliveryIdHeader)).Distinct().Count() == 3 && receiver.Received.Count == 4, () => $"{receiver.Received.Count} requests");

        var delivered = receiver.Received
            .GroupBy(r => r.Header(WebhookSigner.DeliveryIdHeader))
            .Select(g => JsonDocument.Parse(g.Last().Body).RootElement)
            .OrderBy(body => body.GetProperty("sequence").GetInt64())
            .Select(body => body.GetProperty("event_details").GetProperty("event").GetString())
            .ToList();
        Assert.Equal(["ADD", "UPDATE", "DELETE"], delivered);
    }

    private async Task<WebhookReceiver> ReceiverAsync()
    {
        var receiver = await WebhookReceiver.StartAsync();
        _receivers.Add(receiver);
        return receiver;
    }

    private async Task<ServerProcess> StartAsync(params (string Key, string Value)[] settings)
    {
        var server = await ServerProcess.StartAsync(_dataDirectory, settings.ToDictionary(s => s.Key, s => s.Value));
        _servers.Add(server);
        return server;
    }

    private static async Task<string> CreateWebhookAsync(ServerProcess server, string url, string[] eventTypes)
    {
        var ping = await server.Client.GetFromJsonAsync<JsonElement>("/v1/ping/");
        var project = ping.GetProperty("project_id").GetString();
        using var response = await server.Client.PostAsJsonAsync($"/api/v1/webhooks/projects/{project}/", new { name = "process test", url, event_types = eventTypes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhook_id").GetString()!;
    }

    private static async Task SetActiveAsync(ServerProcess server, string webhookId, bool active)
    {
        using var response = await server.Client.PutAsJsonAsync($"/api/v1/webhooks/{webhookId}/", new { is_active = active });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Adds memories (infer=false, answered synchronously) and returns the ids the server acknowledged.</summary>
    private static async Task<HashSet<string>> AddManyAsync(ServerProcess server, int count, int concurrency)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var prefix = Guid.NewGuid().ToString("N")[..8];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            using var response = await server.Client.PostAsJsonAsync(
                "/v3/memories/add/",
                new { messages = new[] { new { role = "user", content = $"Fact {prefix} number {i}: I own {i} teapots" } }, user_id = "u-" + prefix, infer = false },
                ct);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            lock (ids)
            {
                foreach (var result in body.GetProperty("results").EnumerateArray())
                {
                    ids.Add(result.GetProperty("id").GetString()!);
                }
            }
        });
        return ids;
    }

    private static async Task<List<DeliveryRow>> DeliveriesAsync(ServerProcess server, string webhookId) =>
        (await server.Client.GetFromJsonAsync<List<DeliveryRow>>($"/api/v1/webhooks/{webhookId}/deliveries/", Json))!;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static HashSet<string> SucceededMemoryIds(WebhookReceiver receiver) => MemoryIds(receiver.Succeeded);

    private static string? MemoryId(ReceivedWebhook received) =>
        JsonDocument.Parse(received.Body).RootElement.GetProperty("event_details").GetProperty("id").GetString();

    private static HashSet<string> MemoryIds(IEnumerable<ReceivedWebhook> received) =>
        received.Select(MemoryId).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>Memory ids the receiver got requests for (of one webhook when given).</summary>
    private static HashSet<string> AttemptedMemoryIds(WebhookReceiver receiver, string? webhookId = null) =>
        MemoryIds(receiver.Received.Where(r => webhookId is null || JsonDocument.Parse(r.Body).RootElement.GetProperty("webhook_id").GetString() == webhookId));

    private static Task EventuallyAsync(Func<bool> condition, Func<string> describe) =>
        EventuallyAsync(() => Task.FromResult(condition()), describe);

    /// <summary>Polls until the condition holds; the guard only turns a hang into a failure, it measures nothing.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + Guard;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Not reached: " + describe());
            }

            await Task.Delay(100);
        }
    }

    private sealed record DeliveryRow(string DeliveryId, string EventType, string Status, int Attempts, string? LastError, int? ResponseCode, string UpdatedAt, bool CanRedeliver);
}
