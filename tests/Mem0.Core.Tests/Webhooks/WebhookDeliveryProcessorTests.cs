using System.Text.Json;
using Mem0.Core.Memories;
using Mem0.Core.Webhooks;
using Mem0.Testing.Webhooks;

namespace Mem0.Core.Tests.Webhooks;

/// <summary>Delivery to a real HTTP listener on 127.0.0.1 through the guard (development mode allows loopback http).</summary>
public sealed class WebhookDeliveryProcessorTests : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;
    private WebhookTestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _harness = new WebhookTestHarness(new WebhookOptions
        {
            MaxAttempts = 3,
            InitialRetryDelay = TimeSpan.FromSeconds(10),
            MaxRetryDelay = TimeSpan.FromMinutes(5),
            DisableAfterConsecutiveFailures = 2,
        });
    }

    public async Task DisposeAsync()
    {
        _harness.Dispose();
        await _receiver.DisposeAsync();
    }

    private async Task<(CreatedWebhook Hook, WebhookDeliveryMessage Message)> PublishAddAsync(string historyId = "h1", string text = "Name is Alex")
    {
        var created = await _harness.CreateWebhookAsync(_receiver.Url);
        var message = await PublishToAsync(created, historyId, text);
        return (created, message);
    }

    private async Task<WebhookDeliveryMessage> PublishToAsync(CreatedWebhook created, string historyId, string text = "Name is Alex")
    {
        var (type, details) = WebhookPayload.FromHistory(WebhookPayloadTests.Entry(HistoryEvent.Add, newText: text, id: historyId))[0];
        await _harness.Publisher.PublishAsync(created.Webhook.ProjectId, type, historyId, details, _harness.Time.GetUtcNow());
        return Assert.IsType<WebhookDeliveryMessage>(_harness.TryDequeue());
    }

    [Fact]
    public async Task ProcessAsync_ReceiverAnswers200_DeliversSignedMem0Payload()
    {
        var (hook, message) = await PublishAddAsync();

        var outcome = await _harness.Processor.ProcessAsync(message);

        Assert.Equal(WebhookProcessingOutcome.Delivered, outcome);
        var received = Assert.Single(_receiver.Received);
        Assert.Equal("/hook", received.Path);
        Assert.True(WebhookSigner.Verify(hook.Secret, received.Header("Mem0-Signature"), received.Body, _harness.Time.GetUtcNow()));
        Assert.Equal(message.DeliveryId, received.Header("Mem0-Delivery-Id"));
        Assert.Equal("memory_add", received.Header("Mem0-Event-Type"));
        Assert.StartsWith("application/json", received.Header("Content-Type"), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(received.Body);
        var details = body.RootElement.GetProperty("event_details");
        Assert.Equal("mem-1", details.GetProperty("id").GetString());
        Assert.Equal("Name is Alex", details.GetProperty("data").GetProperty("memory").GetString());
        Assert.Equal("ADD", details.GetProperty("event").GetString());
        Assert.Equal(message.DeliveryId, body.RootElement.GetProperty("delivery_id").GetString());
        Assert.Equal("proj-1", body.RootElement.GetProperty("project_id").GetString());
    }

    [Fact]
    public async Task ProcessAsync_SignatureWithOtherSecret_DoesNotVerify()
    {
        var (_, message) = await PublishAddAsync();

        await _harness.Processor.ProcessAsync(message);

        var received = Assert.Single(_receiver.Received);
        Assert.False(WebhookSigner.Verify(WebhookSigner.CreateSecret(), received.Header("Mem0-Signature"), received.Body, _harness.Time.GetUtcNow()));
    }

    [Fact]
    public async Task ProcessAsync_ReceiverAnswers500ThenOk_RetriesAfterBackoff()
    {
        var (_, message) = await PublishAddAsync();
        _receiver.Script(500);

        var first = await _harness.Processor.ProcessAsync(message);

        Assert.Equal(WebhookProcessingOutcome.RetryScheduled, first);
        Assert.Null(_harness.TryDequeue());
        Assert.Equal(1, _harness.Transport.ScheduledCount);
        _harness.Time.Advance(_harness.RetryPolicy.GetDelay(1));
        var retry = Assert.IsType<WebhookDeliveryMessage>(_harness.TryDequeue());
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(message.DeliveryId, retry.DeliveryId);

        var second = await _harness.Processor.ProcessAsync(retry);

        Assert.Equal(WebhookProcessingOutcome.Delivered, second);
        Assert.Equal(2, _receiver.Received.Count);
        Assert.All(_receiver.Received, r => Assert.Equal(message.DeliveryId, r.Header("Mem0-Delivery-Id")));
        var log = await _harness.Store.ListDeliveriesAsync(message.WebhookId, 10);
        Assert.Equal([WebhookDeliveryStatus.Delivered, WebhookDeliveryStatus.Failed], log.Select(d => d.Status));
        Assert.Equal(500, log[1].StatusCode);
    }

    [Fact]
    public async Task ProcessAsync_LastAttemptFails_DeadLettersAndRecords()
    {
        var (_, message) = await PublishAddAsync();
        _receiver.Script(503, 502, 500);

        var outcomes = new List<WebhookProcessingOutcome>();
        var current = message;
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add(await _harness.Processor.ProcessAsync(current));
            _harness.Time.Advance(TimeSpan.FromMinutes(5));
            current = _harness.TryDequeue() ?? current;
        }

        Assert.Equal([WebhookProcessingOutcome.RetryScheduled, WebhookProcessingOutcome.RetryScheduled, WebhookProcessingOutcome.DeadLettered], outcomes);
        var (deadMessage, reason) = Assert.Single(_harness.Transport.DeadLetters);
        Assert.Equal(3, deadMessage.Attempt);
        Assert.Contains("Gave up after 3 attempts", reason, StringComparison.Ordinal);
        var completed = await _harness.Store.GetCompletedDeliveryAsync(message.DeliveryId);
        Assert.Equal(WebhookDeliveryStatus.DeadLettered, completed?.Status);
        var webhook = await _harness.Store.GetAsync(message.WebhookId);
        Assert.Equal(1, webhook?.ConsecutiveFailures);
        Assert.True(webhook?.IsActive);
    }

    [Fact]
    public async Task ProcessAsync_ReceiverAnswers400_DeadLettersWithoutRetry()
    {
        var (_, message) = await PublishAddAsync();
        _receiver.Script(new ScriptedAnswer(400, "bad request"));

        var outcome = await _harness.Processor.ProcessAsync(message);

        Assert.Equal(WebhookProcessingOutcome.DeadLettered, outcome);
        Assert.Equal(0, _harness.Transport.ScheduledCount);
        var completed = await _harness.Store.GetCompletedDeliveryAsync(message.DeliveryId);
        Assert.Equal(400, completed?.StatusCode);
        Assert.Equal("bad request", completed?.ResponseExcerpt);
    }

    [Fact]
    public async Task ProcessAsync_RepeatedDeadLetters_DisablesWebhookWithReason()
    {
        var created = await _harness.CreateWebhookAsync(_receiver.Url);
        _receiver.Script(410, 410);

        Assert.Equal(WebhookProcessingOutcome.DeadLettered, await _harness.Processor.ProcessAsync(await PublishToAsync(created, "h1")));
        Assert.Equal(WebhookProcessingOutcome.DeadLettered, await _harness.Processor.ProcessAsync(await PublishToAsync(created, "h2")));

        var webhook = await _harness.Store.GetAsync(created.Webhook.Id);
        Assert.False(webhook?.IsActive);
        Assert.Contains("2 consecutive failed deliveries", webhook?.DisabledReason, StringComparison.Ordinal);
        Assert.Contains("HTTP 410", webhook?.DisabledReason, StringComparison.Ordinal);
        await _harness.Publisher.PublishAsync("proj-1", "memory_add", "h3", JsonSerializer.SerializeToElement(new { }), _harness.Time.GetUtcNow());
        Assert.Null(_harness.TryDequeue());
    }

    [Fact]
    public async Task ProcessAsync_SuccessAfterFailures_ResetsFailureCount()
    {
        var created = await _harness.CreateWebhookAsync(_receiver.Url);
        _receiver.Script(404);
        await _harness.Processor.ProcessAsync(await PublishToAsync(created, "h1"));
        Assert.Equal(1, (await _harness.Store.GetAsync(created.Webhook.Id))?.ConsecutiveFailures);

        await _harness.Processor.ProcessAsync(await PublishToAsync(created, "h2"));

        Assert.Equal(0, (await _harness.Store.GetAsync(created.Webhook.Id))?.ConsecutiveFailures);
    }

    [Fact]
    public async Task ProcessAsync_RedeliveredMessage_IsNotSentTwice()
    {
        var (_, message) = await PublishAddAsync();

        var first = await _harness.Processor.ProcessAsync(message);
        var again = await _harness.Processor.ProcessAsync(message);

        Assert.Equal(WebhookProcessingOutcome.Delivered, first);
        Assert.Equal(WebhookProcessingOutcome.Duplicate, again);
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task ProcessAsync_Redirect_IsNotFollowed()
    {
        var (_, message) = await PublishAddAsync();
        _receiver.Script(new ScriptedAnswer(302, "", Location: _receiver.Url + "/elsewhere"));

        var outcome = await _harness.Processor.ProcessAsync(message);

        Assert.Equal(WebhookProcessingOutcome.DeadLettered, outcome);
        Assert.Single(_receiver.Received);
    }

    [Fact]
    public async Task ProcessAsync_LongResponseBody_KeepsOnlyExcerpt()
    {
        var (_, message) = await PublishAddAsync();
        _receiver.Script(new ScriptedAnswer(500, new string('x', 5000)));

        await _harness.Processor.ProcessAsync(message);

        var log = await _harness.Store.ListDeliveriesAsync(message.WebhookId, 1);
        Assert.Equal(WebhookDelivery.MaxExcerptLength, log[0].ResponseExcerpt?.Length);
    }

    [Fact]
    public async Task ProcessAsync_ReceiverDoesNotAnswer_TimesOutAndRetries()
    {
        var (_, message) = await PublishAddAsync();
        _receiver.Script(new ScriptedAnswer(200, Hang: true));

        var processing = _harness.Processor.ProcessAsync(message);
        await _receiver.WaitForAsync(1);
        _harness.Time.Advance(_harness.Options.AttemptTimeout);

        Assert.Equal(WebhookProcessingOutcome.RetryScheduled, await processing);
        var log = await _harness.Store.ListDeliveriesAsync(message.WebhookId, 1);
        Assert.Contains("No answer within", log[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_DeletedWebhook_SkipsWithoutSending()
    {
        var (hook, message) = await PublishAddAsync();
        await _harness.Store.DeleteAsync(hook.Webhook.Id);

        Assert.Equal(WebhookProcessingOutcome.Skipped, await _harness.Processor.ProcessAsync(message));
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task ProcessAsync_HostNowResolvesToPrivateAddress_RefusedAtConnectTime()
    {
        // Registered while the name pointed to a public address; by send time it points inside (DNS rebinding).
        using var harness = new WebhookTestHarness(allowLoopback: false, resolver: new FakeHostResolver().Map("hooks.example.com", "93.184.216.34"));
        var created = await harness.Registration.CreateAsync("proj-1", "proj-1", new WebhookDraft("h", "https://hooks.example.com/in", ["memory_add"]), null);
        harness.Resolver.Map("hooks.example.com", "10.0.0.7");
        var (type, details) = WebhookPayload.FromHistory(WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "x"))[0];
        await harness.Publisher.PublishAsync("proj-1", type, "h1", details, harness.Time.GetUtcNow());

        var outcome = await harness.Processor.ProcessAsync(harness.TryDequeue()!);

        Assert.Equal(WebhookProcessingOutcome.DeadLettered, outcome);
        var log = await harness.Store.ListDeliveriesAsync(created.Webhook.Id, 1);
        Assert.Contains("Destination refused", log[0].Error, StringComparison.Ordinal);
        Assert.Contains("10.0.0.7", log[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_LoopbackOutsideDevelopmentMode_RefusedAtConnectTime()
    {
        using var harness = new WebhookTestHarness(allowLoopback: false, resolver: new FakeHostResolver().Map("hooks.example.com", "93.184.216.34"));
        var created = await harness.Registration.CreateAsync("proj-1", "proj-1", new WebhookDraft("h", "https://hooks.example.com/in", ["memory_add"]), null);
        // Point the name at the live local receiver: the guard must refuse before any byte is sent.
        harness.Resolver.Map("hooks.example.com", "127.0.0.1");
        await harness.Store.UpdateAsync(created.Webhook with { Url = $"https://hooks.example.com:{_receiver.Port}/hook" });
        var (type, details) = WebhookPayload.FromHistory(WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "x"))[0];
        await harness.Publisher.PublishAsync("proj-1", type, "h1", details, harness.Time.GetUtcNow());

        Assert.Equal(WebhookProcessingOutcome.DeadLettered, await harness.Processor.ProcessAsync(harness.TryDequeue()!));
        Assert.Empty(_receiver.Received);
    }
}
