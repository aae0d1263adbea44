using Mem0.Core.Webhooks;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Webhooks;

/// <summary>
/// Runs the outbox dispatcher when it has work: on each <c>webhook-dispatch</c> message (sent by the write that
/// committed the change) and, for stragglers whose signal was lost, on a 15-minute timer. Nothing polls between writes,
/// so an idle app makes no Cosmos DB queries for webhooks except the timer's one sweep per quarter hour.
/// </summary>
public sealed class DispatchWebhooksFunction(WebhookDispatcher dispatcher)
{
    /// <summary>Fixed because a trigger attribute needs a constant; matches <see cref="WebhookOptions.DispatchQueueName"/>'s default.</summary>
    public const string QueueName = "webhook-dispatch";

    /// <summary>Second 0 of every fifteenth minute (six-field NCRONTAB).</summary>
    public const string StragglerSchedule = "0 */15 * * * *";

    [Function(nameof(DispatchWebhooks))]
    public Task<int> DispatchWebhooks(
        [QueueTrigger(QueueName, Connection = "Mem0:Webhooks")] string message,
        CancellationToken cancellationToken) =>
        dispatcher.SweepCoalescedAsync(cancellationToken);

    [Function(nameof(SweepWebhookOutbox))]
    public Task<int> SweepWebhookOutbox(
        [TimerTrigger(StragglerSchedule)] TimerInfo timer,
        CancellationToken cancellationToken) =>
        dispatcher.SweepAsync(cancellationToken);
}
