using System.ComponentModel.DataAnnotations;

namespace Mem0.Core.Webhooks;

/// <summary>Webhook delivery settings (section <c>Mem0:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Mem0:Webhooks";

    /// <summary>Storage queue endpoint (Azure, managed identity), e.g. <c>https://acct.queue.core.windows.net</c>.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Storage connection string (Azurite / local only). When neither this nor the URI is set, an in-process queue is used.</summary>
    public string? ConnectionString { get; set; }

    [Required]
    public string QueueName { get; set; } = "webhook-deliveries";

    [Required]
    public string PoisonQueueName { get; set; } = "webhook-deliveries-poison";

    /// <summary>The queue whose messages tell the Functions app that committed changes wait in the outbox.</summary>
    [Required]
    public string DispatchQueueName { get; set; } = "webhook-dispatch";

    /// <summary>Deliveries in flight at once in one process, across all webhooks.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentDeliveries { get; set; } = 64;

    /// <summary>
    /// Deliveries in flight at once to one webhook in one process: a slow or hanging receiver holds at most this many
    /// slots, and the others keep flowing.
    /// </summary>
    [Range(1, 256)]
    public int MaxConcurrentDeliveriesPerWebhook { get; set; } = 8;

    /// <summary>Attempts per delivery, the first included; after the last one the delivery is dead-lettered.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Delay before the second attempt; doubled for each further attempt (with jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of one backoff delay (Storage queues allow at most 7 days of invisibility).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Timeout of one HTTP attempt, connection included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive dead-lettered deliveries after which the webhook is disabled.</summary>
    [Range(1, 1000)]
    public int DisableAfterConsecutiveFailures { get; set; } = 5;

    /// <summary>
    /// How often the local server sweeps the outbox for stragglers. Dispatch is driven by the writes themselves (an
    /// in-process signal locally, a <see cref="DispatchQueueName"/> message in Azure); the sweep only catches changes
    /// whose signal was lost (a crash between commit and signal). The Functions app sweeps on a 15-minute timer instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Changes taken from the outbox per sweep.</summary>
    [Range(1, 10_000)]
    public int SweepBatchSize { get; set; } = 200;

    /// <summary>
    /// Permits plain http to loopback receivers. Honoured only when the host runs in the Development environment;
    /// ignored (false) everywhere else.
    /// </summary>
    public bool AllowLoopbackInDevelopment { get; set; } = true;

    public bool UsesStorageQueue => QueueServiceUri is not null || !string.IsNullOrWhiteSpace(ConnectionString);
}
