using System.Text.Json;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Fans one event out to the project's webhooks subscribed to its type: one message per active webhook, with a delivery
/// id derived from (source, webhook, type) so publishing the same event twice produces the same ids. A webhook created
/// after the event never gets it; a disabled one gets a <see cref="WebhookDeliveryStatus.Skipped"/> entry in its
/// delivery log (with the message, so it can be redelivered) instead of a silent gap.
/// Used by the outbox dispatcher for memory changes and by the import jobs for <c>ingest_job_*</c> events.
/// </summary>
public sealed class WebhookPublisher
{
    private readonly IWebhookStore _store;
    private readonly INotificationTransport _transport;
    private readonly TimeProvider _timeProvider;

    public WebhookPublisher(IWebhookStore store, INotificationTransport transport, TimeProvider timeProvider)
    {
        _store = store;
        _transport = transport;
        _timeProvider = timeProvider;
    }

    /// <summary>Returns how many messages were enqueued.</summary>
    public async Task<int> PublishAsync(
        string projectId,
        string eventType,
        string sourceId,
        JsonElement eventDetails,
        DateTimeOffset createdAt,
        CancellationToken cancellationToken = default)
    {
        var webhooks = await _store.ListAsync(projectId, cancellationToken);
        var messages = new List<WebhookDeliveryMessage>();
        await CollectAsync(webhooks, projectId, new WebhookEvent(eventType, sourceId, eventDetails, createdAt, null), messages, cancellationToken);
        await _transport.SendManyAsync(messages, cancellationToken);
        return messages.Count;
    }

    /// <summary>
    /// Adds the messages for one event to <paramref name="messages"/> (sent by the caller, in one batch) and records the
    /// skipped deliveries of disabled webhooks.
    /// </summary>
    internal async Task CollectAsync(
        IReadOnlyList<Webhook> projectWebhooks,
        string projectId,
        WebhookEvent change,
        List<WebhookDeliveryMessage> messages,
        CancellationToken cancellationToken)
    {
        foreach (var webhook in projectWebhooks)
        {
            // Registered after the change: it starts with the changes made after its creation.
            if (webhook.ProjectId != projectId || !webhook.ListensTo(change.EventType) || webhook.CreatedAt > change.CreatedAt)
            {
                continue;
            }

            var message = new WebhookDeliveryMessage
            {
                DeliveryId = WebhookDeliveryMessage.CreateDeliveryId(change.SourceId, webhook.Id, change.EventType),
                WebhookId = webhook.Id,
                ProjectId = projectId,
                EventType = change.EventType,
                EventDetails = change.Details,
                CreatedAt = change.CreatedAt,
                Sequence = change.Sequence,
            };
            if (webhook.IsActive)
            {
                messages.Add(message);
                continue;
            }

            await _store.RecordDeliveryAsync(
                new WebhookDelivery
                {
                    DeliveryId = message.DeliveryId,
                    WebhookId = webhook.Id,
                    ProjectId = projectId,
                    EventType = change.EventType,
                    Attempt = 0,
                    Status = WebhookDeliveryStatus.Skipped,
                    Error = "The webhook was disabled when the change happened.",
                    At = _timeProvider.GetUtcNow(),
                    Message = message,
                },
                cancellationToken);
        }
    }
}

/// <summary>One event to publish: its wire type, source (history entry or job id), details, time and per-memory sequence.</summary>
internal sealed record WebhookEvent(string EventType, string SourceId, JsonElement Details, DateTimeOffset CreatedAt, long? Sequence);
