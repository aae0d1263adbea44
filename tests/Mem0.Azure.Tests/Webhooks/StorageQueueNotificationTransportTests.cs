using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Mem0.Azure.Webhooks;
using Mem0.Core.Memories;
using Mem0.Core.Webhooks;
using Mem0.Testing.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Tests.Webhooks;

/// <summary>The Storage queue transport against the real Azurite that ./test.sh starts on 127.0.0.1.</summary>
public sealed class StorageQueueNotificationTransportTests : IAsyncLifetime
{
    private readonly string _queueName = "wh-" + Guid.NewGuid().ToString("N")[..20];
    private WebhookReceiver _receiver = null!;
    private StorageQueueNotificationTransport? _transport;
    private WebhookTestHarness? _harness;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        if (_transport is not null)
        {
            await _transport.Deliveries.DeleteIfExistsAsync();
            await _transport.Poison.DeleteIfExistsAsync();
        }

        _harness?.Dispose();
        await _receiver.DisposeAsync();
    }

    private (StorageQueueNotificationTransport Transport, WebhookDeliveryProcessor Processor, StorageQueueDeliveryPump Pump) Build(WebhookOptions options)
    {
        options.ConnectionString = AzuriteFactAttribute.ConnectionString;
        options.QueueName = _queueName;
        options.PoisonQueueName = _queueName + "-poison";
        _transport = Mem0.Azure.Webhooks.DependencyInjection.CreateTransport(options);
        _harness = new WebhookTestHarness(options);
        var processor = new WebhookDeliveryProcessor(
            _harness.Store,
            _harness.Deliverer,
            _harness.Secrets,
            _transport,
            _harness.RetryPolicy,
            Options.Create(options),
            _harness.Time,
            NullLogger<WebhookDeliveryProcessor>.Instance);
        return (_transport, processor, new StorageQueueDeliveryPump(_transport, processor));
    }

    private async Task<int> PublishAddAsync(StorageQueueNotificationTransport transport, string historyId = "h1")
    {
        var (type, details) = WebhookPayload.FromHistory(new HistoryEntry
        {
            Id = historyId,
            ProjectId = "proj-1",
            MemoryId = "mem-1",
            Event = HistoryEvent.Add,
            NewMemory = "Name is Alex",
            Scope = new MemoryScope(UserId: "alice"),
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        })[0];
        return await new WebhookPublisher(_harness!.Store, transport, _harness.Time).PublishAsync("proj-1", type, historyId, details, _harness.Time.GetUtcNow());
    }

    private static async Task<int> CountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    [AzuriteFact]
    public async Task SendAsync_Message_IsBase64JsonOnTheDeliveriesQueue()
    {
        var (transport, _, _) = Build(new WebhookOptions());
        await _harness!.CreateWebhookAsync(_receiver.Url);

        Assert.Equal(1, await PublishAddAsync(transport));

        var raw = new QueueClient(AzuriteFactAttribute.ConnectionString, _queueName);
        var peeked = Assert.Single((await raw.PeekMessagesAsync(10)).Value);
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(peeked.MessageText)));
        Assert.Equal("memory_add", json.RootElement.GetProperty("event_type").GetString());
        Assert.Equal("Name is Alex", json.RootElement.GetProperty("event_details").GetProperty("data").GetProperty("memory").GetString());
    }

    [AzuriteFact]
    public async Task ProcessBatchAsync_QueuedMessage_DeliversAndDeletesIt()
    {
        var (transport, _, pump) = Build(new WebhookOptions());
        var hook = await _harness!.CreateWebhookAsync(_receiver.Url);
        await PublishAddAsync(transport);

        Assert.Equal(1, await pump.ProcessBatchAsync());

        var received = Assert.Single(_receiver.Received);
        Assert.True(WebhookSigner.Verify(hook.Secret, received.Header(WebhookSigner.SignatureHeader), received.Body, _harness.Time.GetUtcNow()));
        Assert.Equal(0, await CountAsync(transport.Deliveries));
    }

    [AzuriteFact]
    public async Task ProcessBatchAsync_Receiver500_RequeuesHiddenForBackoff()
    {
        var (transport, _, pump) = Build(new WebhookOptions { InitialRetryDelay = TimeSpan.FromMinutes(10), MaxRetryDelay = TimeSpan.FromMinutes(10) });
        await _harness!.CreateWebhookAsync(_receiver.Url);
        await PublishAddAsync(transport);
        _receiver.Script(500);

        await pump.ProcessBatchAsync();

        Assert.Equal(1, await CountAsync(transport.Deliveries));
        Assert.Empty((await transport.Deliveries.PeekMessagesAsync(10)).Value);
        Assert.Equal(0, await pump.ProcessBatchAsync());
    }

    [AzuriteFact]
    public async Task ProcessBatchAsync_LastAttemptFails_MovesToPoisonQueue()
    {
        var (transport, _, pump) = Build(new WebhookOptions { MaxAttempts = 1 });
        await _harness!.CreateWebhookAsync(_receiver.Url);
        await PublishAddAsync(transport);
        _receiver.Script(503);

        await pump.ProcessBatchAsync();

        var poisoned = Assert.Single((await transport.Poison.PeekMessagesAsync(10)).Value);
        Assert.Equal("memory_add", WebhookDeliveryMessage.FromJson(poisoned.MessageText).EventType);
        Assert.Equal(0, await CountAsync(transport.Deliveries));
    }

    [AzuriteFact]
    public async Task ProcessBatchAsync_SameChangeEnqueuedTwice_SentOnce()
    {
        var (transport, _, pump) = Build(new WebhookOptions());
        await _harness!.CreateWebhookAsync(_receiver.Url);
        await PublishAddAsync(transport);
        await PublishAddAsync(transport);

        var processed = 0;
        while (await pump.ProcessBatchAsync(maxMessages: 1) is var n && n > 0)
        {
            processed += n;
        }

        Assert.Equal(2, processed);
        Assert.Single(_receiver.Received);
    }

    [AzuriteFact]
    public async Task ProcessBatchAsync_MalformedMessage_MovesToPoisonQueue()
    {
        var (transport, _, pump) = Build(new WebhookOptions());
        await transport.Deliveries.SendMessageAsync("{ not json");

        await pump.ProcessBatchAsync();

        Assert.Equal(1, await CountAsync(transport.Poison));
        Assert.Equal(0, await CountAsync(transport.Deliveries));
    }

    [AzuriteFact]
    public async Task ReceiveAsync_LeaseHidesTheMessage_ReleaseShowsItAgain_CompleteDeletesIt()
    {
        var (transport, _, _) = Build(new WebhookOptions());
        await _harness!.CreateWebhookAsync(_receiver.Url);
        await PublishAddAsync(transport);

        var leased = Assert.Single(await transport.ReceiveAsync(8, TimeSpan.FromMinutes(5), []));
        Assert.Empty(await transport.ReceiveAsync(8, TimeSpan.FromMinutes(5), []));
        await transport.ReleaseAsync(leased, TimeSpan.Zero);
        var again = Assert.Single(await transport.ReceiveAsync(8, TimeSpan.FromMinutes(5), []));
        Assert.Equal(leased.Message.DeliveryId, again.Message.DeliveryId);
        await transport.CompleteAsync(again);

        Assert.Equal(0, await CountAsync(transport.Deliveries));
    }
}
