using Mem0.Core.Memories;
using Mem0.Core.Webhooks;
using Mem0.Testing.Stores;
using Mem0.Testing.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Tests.Webhooks;

public sealed class WebhookDispatcherTests : IDisposable
{
    private readonly WebhookTestHarness _harness = new();
    private readonly InMemoryMemoryStore _outbox = new();

    public void Dispose() => _harness.Dispose();

    private WebhookDispatcher Dispatcher(INotificationTransport? transport = null, int batchSize = 200, IMemoryChangeOutbox? outbox = null) => new(
        outbox ?? _outbox,
        _harness.Store,
        new WebhookPublisher(_harness.Store, transport ?? _harness.Transport, _harness.Time),
        transport ?? _harness.Transport,
        Options.Create(new WebhookOptions { SweepBatchSize = batchSize }),
        NullLogger<WebhookDispatcher>.Instance);

    private List<WebhookDeliveryMessage> Drain()
    {
        var messages = new List<WebhookDeliveryMessage>();
        while (_harness.TryDequeue() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    [Fact]
    public async Task SweepAsync_Changes_EnqueueOneMessagePerSubscribedWebhookAndMarkDispatched()
    {
        var all = await _harness.CreateWebhookAsync("http://127.0.0.1:1/all");
        var deletesOnly = await _harness.CreateWebhookAsync("http://127.0.0.1:1/del", eventTypes: ["memory_delete"]);
        await _harness.CreateWebhookAsync("http://127.0.0.1:1/other", projectId: "proj-2");
        await _outbox.ApplyAsync("proj-1", new MemoryChangeSet
        {
            History =
            [
                WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a", categories: ["food"], id: "h1"),
                WebhookPayloadTests.Entry(HistoryEvent.Delete, oldText: "a", id: "h2"),
            ],
        });

        var count = await Dispatcher(batchSize: 1).SweepAsync();

        Assert.Equal(2, count);
        Assert.Empty(await _outbox.GetUndispatchedAsync(100));
        var messages = Drain();
        Assert.Equal(
            [(all.Webhook.Id, "memory_add"), (all.Webhook.Id, "memory_categorize"), (all.Webhook.Id, "memory_delete"), (deletesOnly.Webhook.Id, "memory_delete")],
            messages.Select(m => (m.WebhookId, m.EventType)).OrderBy(x => x.Item1 == all.Webhook.Id ? 0 : 1).ThenBy(x => x.EventType, StringComparer.Ordinal));
        Assert.Equal(messages.Count, messages.Select(m => m.DeliveryId).Distinct().Count());
    }

    [Fact]
    public async Task SweepAsync_TransportFailsMidBatch_MarksNothingAndResendsTheSameIds()
    {
        await _harness.CreateWebhookAsync("http://127.0.0.1:1/all", eventTypes: ["memory_add"]);
        await _outbox.ApplyAsync("proj-1", new MemoryChangeSet { History = [WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a", id: "h1"), WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "b", id: "h2")] });
        var failing = new FailingTransport(_harness.Transport, failOnCall: 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Dispatcher(failing).SweepAsync());
        var firstRound = Drain();

        Assert.Single(firstRound);
        Assert.Equal(2, (await _outbox.GetUndispatchedAsync(100)).Count);
        await Dispatcher().SweepAsync();
        var secondRound = Drain();
        Assert.Equal(2, secondRound.Count);
        Assert.Contains(firstRound[0].DeliveryId, secondRound.Select(m => m.DeliveryId));
        Assert.Empty(await _outbox.GetUndispatchedAsync(100));
    }

    [Fact]
    public async Task SweepAsync_WebhookCreatedAfterTheChange_GetsNothing()
    {
        await _outbox.ApplyAsync("proj-1", new MemoryChangeSet { History = [WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a", id: "h1")] });
        _harness.Time.SetUtcNow(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero));
        await _harness.CreateWebhookAsync("http://127.0.0.1:1/late");

        await Dispatcher().SweepAsync();

        Assert.Empty(Drain());
        Assert.Empty(await _outbox.GetUndispatchedAsync(100));
    }

    [Fact]
    public async Task SweepAsync_DisabledWebhook_RecordsSkippedDeliveryWithItsMessage()
    {
        var created = await _harness.CreateWebhookAsync("http://127.0.0.1:1/off", eventTypes: ["memory_add"]);
        await _harness.Registration.UpdateAsync("proj-1", created.Webhook.Id, new WebhookDraft(null, null, null, IsActive: false));
        await _outbox.ApplyAsync("proj-1", new MemoryChangeSet { History = [WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a", id: "h1")] });

        await Dispatcher().SweepAsync();

        Assert.Empty(Drain());
        var skipped = Assert.Single(await _harness.Store.ListDeliveriesAsync(created.Webhook.Id, 10));
        Assert.Equal(WebhookDeliveryStatus.Skipped, skipped.Status);
        Assert.Equal(WebhookDeliveryMessage.CreateDeliveryId("h1", created.Webhook.Id, "memory_add"), skipped.Message!.DeliveryId);
    }

    [Fact]
    public async Task SweepAsync_MemoryChange_CarriesTheChangeTimeAsSequence()
    {
        await _harness.CreateWebhookAsync("http://127.0.0.1:1/all", eventTypes: ["memory_add"]);
        var entry = WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a", id: "h1");
        await _outbox.ApplyAsync("proj-1", new MemoryChangeSet { History = [entry] });

        await Dispatcher().SweepAsync();

        Assert.Equal(entry.CreatedAt.UtcTicks, Assert.Single(Drain()).Sequence);
    }

    [Fact]
    public async Task SweepAsync_CrashBetweenEnqueueAndMark_ReenqueuesSameDeliveryIds()
    {
        await _harness.CreateWebhookAsync("http://127.0.0.1:1/all", eventTypes: ["memory_add"]);
        await _outbox.ApplyAsync("proj-1", new MemoryChangeSet { History = [WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a", id: "h1")] });

        await Assert.ThrowsAsync<IOException>(() => Dispatcher(outbox: new CrashingOutbox(_outbox)).SweepAsync());
        var firstRound = Drain();
        await Dispatcher().SweepAsync();
        var secondRound = Drain();

        Assert.Equal(firstRound.Select(m => m.DeliveryId), secondRound.Select(m => m.DeliveryId));
        Assert.Single(secondRound);
        Assert.Empty(await _outbox.GetUndispatchedAsync(10));
    }

    [Fact]
    public async Task SweepAsync_NoWebhooks_MarksChangesDispatched()
    {
        await _outbox.ApplyAsync("proj-1", new MemoryChangeSet { History = [WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a")] });

        Assert.Equal(1, await Dispatcher().SweepAsync());
        Assert.Empty(await _outbox.GetUndispatchedAsync(100));
        Assert.Empty(Drain());
    }

    [Fact]
    public async Task SweepCoalescedAsync_SignalDuringASweep_ReturnsAtOnceAndTheRunningSweepRunsAgain()
    {
        await _harness.CreateWebhookAsync("http://127.0.0.1:1/all", eventTypes: ["memory_add"]);
        await _outbox.ApplyAsync("proj-1", new MemoryChangeSet { History = [WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a", id: "h1")] });
        var gated = new GatedOutbox(_outbox);
        var dispatcher = Dispatcher(outbox: gated);

        var first = dispatcher.SweepCoalescedAsync();
        await gated.Entered.Task;
        await _outbox.ApplyAsync("proj-1", new MemoryChangeSet { History = [WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "b", id: "h2")] });
        Assert.Equal(0, await dispatcher.SweepCoalescedAsync());
        gated.Release.SetResult();

        Assert.Equal(2, await first);
        Assert.Equal(2, Drain().Count);
        Assert.Equal(0, await dispatcher.SweepCoalescedAsync());
    }

    private sealed class GatedOutbox(IMemoryChangeOutbox inner) : IMemoryChangeOutbox
    {
        private int _calls;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<HistoryEntry>> GetUndispatchedAsync(int maxCount, CancellationToken cancellationToken = default)
        {
            // The first sweep takes h1 only, then waits: h2 arrives while it runs.
            var pending = await inner.GetUndispatchedAsync(maxCount, cancellationToken);
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Entered.SetResult();
                await Release.Task;
            }

            return pending;
        }

        public Task MarkDispatchedAsync(IReadOnlyCollection<string> historyEntryIds, CancellationToken cancellationToken = default) =>
            inner.MarkDispatchedAsync(historyEntryIds, cancellationToken);
    }

    private sealed class FailingTransport(INotificationTransport inner, int failOnCall) : INotificationTransport
    {
        private int _calls;

        public Task SendAsync(WebhookDeliveryMessage message, CancellationToken cancellationToken = default) =>
            ++_calls == failOnCall ? throw new InvalidOperationException("queue down") : inner.SendAsync(message, cancellationToken);

        public Task SendDelayedAsync(WebhookDeliveryMessage message, TimeSpan delay, CancellationToken cancellationToken = default) =>
            inner.SendDelayedAsync(message, delay, cancellationToken);

        public Task DeadLetterAsync(WebhookDeliveryMessage message, string reason, CancellationToken cancellationToken = default) =>
            inner.DeadLetterAsync(message, reason, cancellationToken);
    }

    private sealed class CrashingOutbox(IMemoryChangeOutbox inner) : IMemoryChangeOutbox
    {
        public Task<IReadOnlyList<HistoryEntry>> GetUndispatchedAsync(int maxCount, CancellationToken cancellationToken = default) =>
            inner.GetUndispatchedAsync(maxCount, cancellationToken);

        public Task MarkDispatchedAsync(IReadOnlyCollection<string> historyEntryIds, CancellationToken cancellationToken = default) =>
            throw new IOException("process died before marking");
    }
}
