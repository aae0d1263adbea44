using Mem0.Core.Common;
using Mem0.Core.Webhooks;

namespace Mem0.Testing.Stores;

/// <summary>The behaviour every <see cref="IWebhookStore"/> must show. Derive and return a fresh empty store.</summary>
public abstract class WebhookStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private IWebhookStore? _store;

    protected IWebhookStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected abstract Task<IWebhookStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static Webhook Hook(string id, string projectId, DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        ProjectId = projectId,
        Name = "hook " + id,
        Url = "https://hooks.example.com/" + id,
        EventTypes = ["memory_add", "memory_delete"],
        ProtectedSecret = "protected-" + id,
        Owner = "owner@example.com",
        CreatedAt = createdAt ?? T0,
        UpdatedAt = createdAt ?? T0,
    };

    protected static WebhookDelivery Delivery(string deliveryId, string webhookId, int attempt, WebhookDeliveryStatus status) => new()
    {
        DeliveryId = deliveryId,
        WebhookId = webhookId,
        ProjectId = "p1",
        EventType = "memory_add",
        Attempt = attempt,
        Status = status,
        StatusCode = status == WebhookDeliveryStatus.Delivered ? 200 : 500,
        ResponseExcerpt = "body",
        Error = status == WebhookDeliveryStatus.Delivered ? null : "HTTP 500",
        At = T0.AddMinutes(attempt),
    };

    [Fact]
    public async Task CreateAsync_ThenGet_RoundTrips()
    {
        await Store.CreateAsync(Hook("w1", "p1") with { ConsecutiveFailures = 2, DisabledReason = "why", IsActive = false });

        var stored = await Store.GetAsync("w1");

        Assert.NotNull(stored);
        Assert.Equal("p1", stored.ProjectId);
        Assert.Equal(["memory_add", "memory_delete"], stored.EventTypes);
        Assert.Equal("protected-w1", stored.ProtectedSecret);
        Assert.False(stored.IsActive);
        Assert.Equal(2, stored.ConsecutiveFailures);
        Assert.Equal("why", stored.DisabledReason);
        Assert.Equal(T0, stored.CreatedAt);
    }

    [Fact]
    public async Task CreateAsync_DuplicateId_Throws()
    {
        await Store.CreateAsync(Hook("w1", "p1"));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.CreateAsync(Hook("w1", "p2")));
    }

    [Fact]
    public async Task ListAsync_OnlyThatProject_OldestFirst()
    {
        await Store.CreateAsync(Hook("w2", "p1", T0.AddMinutes(2)));
        await Store.CreateAsync(Hook("w1", "p1", T0.AddMinutes(1)));
        await Store.CreateAsync(Hook("w3", "p2"));

        var listed = await Store.ListAsync("p1");

        Assert.Equal(["w1", "w2"], listed.Select(w => w.Id));
    }

    [Fact]
    public async Task UpdateAsync_Existing_Replaces()
    {
        await Store.CreateAsync(Hook("w1", "p1"));

        await Store.UpdateAsync(Hook("w1", "p1") with { Name = "renamed", ConsecutiveFailures = 3 });

        var stored = await Store.GetAsync("w1");
        Assert.Equal("renamed", stored?.Name);
        Assert.Equal(3, stored?.ConsecutiveFailures);
    }

    [Fact]
    public async Task UpdateAsync_Missing_ThrowsNotFound()
    {
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Store.UpdateAsync(Hook("nope", "p1")));
        Assert.Equal(ResourceKind.Webhook, missing.Resource);
    }

    [Fact]
    public async Task DeleteAsync_ExistingThenMissing_ReturnsTrueThenFalse()
    {
        await Store.CreateAsync(Hook("w1", "p1"));

        Assert.True(await Store.DeleteAsync("w1"));
        Assert.False(await Store.DeleteAsync("w1"));
        Assert.Null(await Store.GetAsync("w1"));
    }

    [Fact]
    public async Task RecordDeliveryAsync_FailedAttempt_IsNotCompleted()
    {
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 1, WebhookDeliveryStatus.Failed));

        Assert.Null(await Store.GetCompletedDeliveryAsync("d1"));
    }

    [Theory]
    [InlineData(WebhookDeliveryStatus.Delivered)]
    [InlineData(WebhookDeliveryStatus.DeadLettered)]
    [InlineData(WebhookDeliveryStatus.Skipped)]
    public async Task RecordDeliveryAsync_TerminalAttempt_MarksCompleted(WebhookDeliveryStatus status)
    {
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 1, WebhookDeliveryStatus.Failed));
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 2, status));

        var completed = await Store.GetCompletedDeliveryAsync("d1");

        Assert.Equal(status, completed?.Status);
        Assert.Equal(2, completed?.Attempt);
    }

    [Fact]
    public async Task RecordDeliveryAsync_SecondTerminal_KeepsTheFirst()
    {
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 1, WebhookDeliveryStatus.Delivered));
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 1, WebhookDeliveryStatus.Skipped));

        Assert.Equal(WebhookDeliveryStatus.Delivered, (await Store.GetCompletedDeliveryAsync("d1"))?.Status);
    }

    [Fact]
    public async Task ListDeliveriesAsync_NewestFirst_LimitedAndPerWebhook()
    {
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 1, WebhookDeliveryStatus.Failed));
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 2, WebhookDeliveryStatus.Failed));
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 3, WebhookDeliveryStatus.Delivered));
        await Store.RecordDeliveryAsync(Delivery("d9", "w2", 1, WebhookDeliveryStatus.Delivered));

        var log = await Store.ListDeliveriesAsync("w1", 2);

        Assert.Equal([3, 2], log.Select(d => d.Attempt));
        Assert.Equal("body", log[0].ResponseExcerpt);
        Assert.Equal(200, log[0].StatusCode);
    }

    [Fact]
    public async Task ReopenDeliveryAsync_Completed_ForgetsTheOutcomeOnce()
    {
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 1, WebhookDeliveryStatus.DeadLettered));

        Assert.True(await Store.ReopenDeliveryAsync("d1"));
        Assert.Null(await Store.GetCompletedDeliveryAsync("d1"));
        Assert.False(await Store.ReopenDeliveryAsync("d1"));
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 2, WebhookDeliveryStatus.Delivered));
        Assert.Equal(WebhookDeliveryStatus.Delivered, (await Store.GetCompletedDeliveryAsync("d1"))!.Status);
    }

    [Fact]
    public async Task ListDeliveryAttemptsAsync_OneDeliveryNewestFirst_WithTheKeptMessage()
    {
        var message = new WebhookDeliveryMessage
        {
            DeliveryId = "d1",
            WebhookId = "w1",
            ProjectId = "p1",
            EventType = "memory_add",
            EventDetails = System.Text.Json.JsonSerializer.SerializeToElement(new { id = "m1" }),
            CreatedAt = T0,
            Sequence = 42,
        };
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 1, WebhookDeliveryStatus.Failed));
        await Store.RecordDeliveryAsync(Delivery("d1", "w1", 2, WebhookDeliveryStatus.DeadLettered) with { Message = message });
        await Store.RecordDeliveryAsync(Delivery("d2", "w1", 1, WebhookDeliveryStatus.Delivered));

        var attempts = await Store.ListDeliveryAttemptsAsync("d1");

        Assert.Equal([2, 1], attempts.Select(d => d.Attempt));
        Assert.Equal(42, attempts[0].Message!.Sequence);
        Assert.Equal("m1", attempts[0].Message!.EventDetails.GetProperty("id").GetString());
        Assert.Null(attempts[1].Message);
    }
}
