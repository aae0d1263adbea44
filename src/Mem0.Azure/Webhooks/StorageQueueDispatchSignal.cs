using Azure.Storage.Queues;
using Mem0.Core.Webhooks;

namespace Mem0.Azure.Webhooks;

/// <summary>
/// The Functions app's dispatch signal: one small message on <c>webhook-dispatch</c> per committed write, which the
/// <c>DispatchWebhooks</c> queue trigger turns into an outbox sweep. Dispatch therefore costs nothing while nobody writes,
/// instead of a cross-partition query every second on every instance.
/// </summary>
public sealed class StorageQueueDispatchSignal : IWebhookDispatchSignal
{
    /// <summary>A signal older than a day is pointless: the straggler sweep has run many times since.</summary>
    private static readonly TimeSpan SignalLifetime = TimeSpan.FromDays(1);

    public StorageQueueDispatchSignal(QueueClient dispatch)
    {
        Dispatch = dispatch;
    }

    public QueueClient Dispatch { get; }

    public Task NotifyChangesAsync(string projectId, CancellationToken cancellationToken = default) =>
        Dispatch.SendMessageAsync(
            System.Text.Json.JsonSerializer.Serialize(new { project_id = projectId }),
            visibilityTimeout: null,
            timeToLive: SignalLifetime,
            cancellationToken);
}
