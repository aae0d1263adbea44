using System.Text.Json;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Fans one event out to every active webhook of the project subscribed to its type: one message per webhook, with a
/// delivery id derived from (source, webhook, type) so publishing the same event twice produces the same ids.
/// Used by the outbox dispatcher for memory changes and by the import jobs for <c>ingest_job_*</c> events.
/// </summary>
public sealed class WebhookPublisher
{
    private readonly IWebhookStore _store;
    private readonly INotificationTransport _transport;

    public WebhookPublisher(IWebhookStore store, INotificationTransport transport)
    {
        _store = store;
        _transport = transport;
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
        return await PublishAsync(webhooks, projectId, eventType, sourceId, eventDetails, createdAt, cancellationToken);
    }

    internal async Task<int> PublishAsync(
        IReadOnlyList<Webhook> projectWebhooks,
        string projectId,
        string eventType,
        string sourceId,
        JsonElement eventDetails,
        DateTimeOffset createdAt,
        CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var webhook in projectWebhooks)
        {
            if (webhook.ProjectId != projectId || !webhook.IsSubscribedTo(eventType))
            {
                continue;
            }

            await _transport.SendAsync(
                new WebhookDeliveryMessage
                {
                    DeliveryId = WebhookDeliveryMessage.CreateDeliveryId(sourceId, webhook.Id, eventType),
                    WebhookId = webhook.Id,
                    ProjectId = projectId,
                    EventType = eventType,
                    EventDetails = eventDetails,
                    CreatedAt = createdAt,
                },
                cancellationToken);
            sent++;
        }

        return sent;
    }
}
