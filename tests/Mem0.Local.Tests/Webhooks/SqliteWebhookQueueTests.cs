using System.Text.Json;
using Mem0.Core.Webhooks;
using Mem0.Local.Storage;
using Mem0.Local.Tests.Storage;
using Mem0.Local.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mem0.Local.Tests.Webhooks;

public sealed class SqliteWebhookQueueTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private readonly SqliteTestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _database.Dispose();

    private SqliteWebhookQueue Queue(int perWebhook = 8) =>
        new(_database.Database, _time, Options.Create(new WebhookOptions { MaxConcurrentDeliveriesPerWebhook = perWebhook }));

    private static WebhookDeliveryMessage Message(string id, string webhookId = "w1", int attempt = 1) => new()
    {
        DeliveryId = id,
        WebhookId = webhookId,
        ProjectId = "p1",
        EventType = "memory_add",
        EventDetails = JsonSerializer.SerializeToElement(new { id = "m-" + id }),
        CreatedAt = DateTimeOffset.UnixEpoch,
        Attempt = attempt,
    };

    [Fact]
    public async Task ReceiveAsync_LeasedMessage_IsHiddenUntilReleasedAndGoneWhenCompleted()
    {
        var queue = Queue();
        await queue.SendAsync(Message("d1"));

        var leased = Assert.Single(await queue.ReceiveAsync(10, Lease, []));
        Assert.Empty(await queue.ReceiveAsync(10, Lease, []));
        await queue.ReleaseAsync(leased, TimeSpan.Zero);
        var again = Assert.Single(await queue.ReceiveAsync(10, Lease, []));
        await queue.CompleteAsync(again);

        Assert.Equal("d1", again.Message.DeliveryId);
        Assert.Equal(0, await queue.CountAsync());
    }

    [Fact]
    public async Task SendDelayedAsync_Retry_BecomesVisibleAtItsTime()
    {
        var queue = Queue();
        await queue.SendDelayedAsync(Message("d1", attempt: 2), TimeSpan.FromSeconds(30));

        Assert.Empty(await queue.ReceiveAsync(10, Lease, []));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, Assert.Single(await queue.ReceiveAsync(10, Lease, [])).Message.Attempt);
    }

    [Fact]
    public async Task ReceiveAsync_BusyWebhookAndPerWebhookShare_LeaveTheRestForOthers()
    {
        var queue = Queue(perWebhook: 2);
        await queue.SendManyAsync([Message("a1", "slow"), Message("a2", "slow"), Message("a3", "slow"), Message("b1", "fast")]);

        var first = await queue.ReceiveAsync(10, Lease, []);
        Assert.Equal(["a1", "a2", "b1"], first.Select(d => d.Message.DeliveryId).Order());
        await queue.SendAsync(Message("b2", "fast"));
        var second = await queue.ReceiveAsync(10, Lease, ["slow"]);
        Assert.Equal(["b2"], second.Select(d => d.Message.DeliveryId));
    }

    [Fact]
    public async Task ReceiveAsync_NewProcess_TakesBackTheLeasesOfAKilledOne()
    {
        await Queue().SendAsync(Message("d1"));
        Assert.Single(await Queue().ReceiveAsync(10, TimeSpan.FromHours(1), []));

        // Another instance on the same database, as after kill -9 and restart: the lease does not hide the message.
        var restarted = Queue();
        Assert.Equal("d1", Assert.Single(await restarted.ReceiveAsync(10, Lease, [])).Message.DeliveryId);
    }
}
