using System.Text.Json;
using Mem0.Core.Webhooks;
using Mem0.Functions.Webhooks;
using Mem0.Testing.Stores;
using Mem0.Testing.Webhooks;

namespace Mem0.Functions.Tests.Webhooks;

public sealed class DeliverWebhookFunctionTests : IAsyncLifetime
{
    private readonly WebhookTestHarness _harness = new();
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        _harness.Dispose();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task DeliverWebhook_QueueMessage_PostsSignedPayloadOnce()
    {
        var created = await _harness.CreateWebhookAsync(_receiver.Url);
        var details = JsonSerializer.SerializeToElement(new { id = "m1", data = new { memory = "x" }, @event = "ADD" });
        await _harness.Publisher.PublishAsync("proj-1", WebhookEventTypes.MemoryAdd, "h1", details, _harness.Time.GetUtcNow());
        var queued = _harness.TryDequeue()!.ToJson();
        var function = new DeliverWebhookFunction(_harness.Processor, new WebhookConcurrencyLimiter(Microsoft.Extensions.Options.Options.Create(_harness.Options)), _harness.Transport);

        await function.DeliverWebhook(queued, CancellationToken.None);
        await function.DeliverWebhook(queued, CancellationToken.None);

        var received = Assert.Single(_receiver.Received);
        Assert.True(WebhookSigner.Verify(created.Secret, received.Header(WebhookSigner.SignatureHeader), received.Body, _harness.Time.GetUtcNow()));
    }

    [Fact]
    public async Task DeliverWebhook_MalformedMessage_Throws()
    {
        var function = new DeliverWebhookFunction(_harness.Processor, new WebhookConcurrencyLimiter(Microsoft.Extensions.Options.Options.Create(_harness.Options)), _harness.Transport);

        await Assert.ThrowsAnyAsync<JsonException>(() => function.DeliverWebhook("{oops", CancellationToken.None));
    }

    [Fact]
    public void QueueName_MatchesOptionsDefault()
    {
        Assert.Equal(DeliverWebhookFunction.QueueName, new WebhookOptions().QueueName);
        Assert.Equal(DispatchWebhooksFunction.QueueName, new WebhookOptions().DispatchQueueName);
    }

    [Fact]
    public async Task DeliverWebhook_WebhookAtItsShare_RequeuesTheSameAttemptWithoutSending()
    {
        var created = await _harness.CreateWebhookAsync(_receiver.Url);
        var details = JsonSerializer.SerializeToElement(new { id = "m1", data = new { memory = "x" }, @event = "ADD" });
        await _harness.Publisher.PublishAsync("proj-1", WebhookEventTypes.MemoryAdd, "h1", details, _harness.Time.GetUtcNow());
        var queued = _harness.TryDequeue()!;
        var limiter = new WebhookConcurrencyLimiter(Microsoft.Extensions.Options.Options.Create(new WebhookOptions { MaxConcurrentDeliveriesPerWebhook = 1 }));
        Assert.True(limiter.TryEnter(created.Webhook.Id));

        await new DeliverWebhookFunction(_harness.Processor, limiter, _harness.Transport).DeliverWebhook(queued.ToJson(), CancellationToken.None);

        Assert.Empty(_receiver.Received);
        Assert.Equal(1, _harness.Transport.ScheduledCount);
    }

    [Fact]
    public async Task DispatchWebhooks_SignalOrTimer_SweepsTheOutbox()
    {
        await _harness.CreateWebhookAsync(_receiver.Url, eventTypes: ["memory_add"]);
        var outbox = new InMemoryMemoryStore();
        var dispatcher = new WebhookDispatcher(
            outbox,
            _harness.Store,
            _harness.Publisher,
            _harness.Transport,
            Microsoft.Extensions.Options.Options.Create(new WebhookOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<WebhookDispatcher>.Instance);
        var function = new DispatchWebhooksFunction(dispatcher);
        await outbox.ApplyAsync("proj-1", new Mem0.Core.Memories.MemoryChangeSet { History = [Entry("h1")] });
        await outbox.ApplyAsync("proj-1", new Mem0.Core.Memories.MemoryChangeSet { History = [Entry("h2")] });

        Assert.Equal(2, await function.DispatchWebhooks("{\"project_id\":\"proj-1\"}", CancellationToken.None));
        await outbox.ApplyAsync("proj-1", new Mem0.Core.Memories.MemoryChangeSet { History = [Entry("h3")] });
        Assert.Equal(1, await function.SweepWebhookOutbox(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None));
        Assert.Equal(3, Drain().Count);
    }

    private List<WebhookDeliveryMessage> Drain()
    {
        var messages = new List<WebhookDeliveryMessage>();
        while (_harness.TryDequeue() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    private Mem0.Core.Memories.HistoryEntry Entry(string id) => new()
    {
        Id = id,
        ProjectId = "proj-1",
        MemoryId = "m-" + id,
        Event = Mem0.Core.Memories.HistoryEvent.Add,
        NewMemory = "x",
        Scope = new Mem0.Core.Memories.MemoryScope(UserId: "u"),
        CreatedAt = _harness.Time.GetUtcNow(),
        UpdatedAt = _harness.Time.GetUtcNow(),
    };
}
