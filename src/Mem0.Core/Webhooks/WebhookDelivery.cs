namespace Mem0.Core.Webhooks;

/// <summary>What happened to one delivery attempt.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>The receiver answered 2xx: terminal.</summary>
    Delivered,

    /// <summary>The attempt failed and another is scheduled.</summary>
    Failed,

    /// <summary>The last attempt failed, or the failure was permanent: terminal.</summary>
    DeadLettered,

    /// <summary>Not sent: the webhook was disabled or unsubscribed when the change happened or meanwhile: terminal, replayable.</summary>
    Skipped,
}

/// <summary>One entry of a webhook's delivery log. Response bodies are kept only as a short excerpt.</summary>
public sealed record WebhookDelivery
{
    public const int MaxExcerptLength = 512;

    public required string DeliveryId { get; init; }

    public required string WebhookId { get; init; }

    public required string ProjectId { get; init; }

    public required string EventType { get; init; }

    /// <summary>1 for the first attempt.</summary>
    public required int Attempt { get; init; }

    public required WebhookDeliveryStatus Status { get; init; }

    public int? StatusCode { get; init; }

    /// <summary>At most <see cref="MaxExcerptLength"/> characters of the receiver's answer.</summary>
    public string? ResponseExcerpt { get; init; }

    /// <summary>Why the attempt failed (network error, timeout, refused destination, HTTP status).</summary>
    public string? Error { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>
    /// The message as it was queued, kept on dead-lettered and skipped entries only, so the delivery can be replayed
    /// (<c>POST .../deliveries/{id}/redeliver/</c>) after the queue message itself is gone.
    /// </summary>
    public WebhookDeliveryMessage? Message { get; init; }

    public bool IsTerminal => Status is not WebhookDeliveryStatus.Failed;

    public static string? Excerpt(string? text) =>
        text is null || text.Length <= MaxExcerptLength ? text : text[..MaxExcerptLength];
}
