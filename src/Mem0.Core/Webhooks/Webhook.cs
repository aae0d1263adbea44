namespace Mem0.Core.Webhooks;

/// <summary>A subscription of a project to memory (and ingest job) events, delivered by signed HTTP POSTs.</summary>
public sealed record Webhook
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public required string Name { get; init; }

    /// <summary>The destination; checked by <see cref="DestinationGuard"/> at registration and again at every connection.</summary>
    public required string Url { get; init; }

    /// <summary>Wire event types (<see cref="WebhookEventTypes"/>), distinct.</summary>
    public required IReadOnlyList<string> EventTypes { get; init; }

    /// <summary>The signing secret encrypted with Data Protection: never stored or logged in clear.</summary>
    public required string ProtectedSecret { get; init; }

    /// <summary>Who created it (shown as the wire's <c>owner</c>).</summary>
    public string? Owner { get; init; }

    public bool IsActive { get; init; } = true;

    /// <summary>Dead-lettered deliveries since the last successful one; reaching the limit disables the webhook.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Why the webhook was disabled automatically; null while active or when disabled by its owner.</summary>
    public string? DisabledReason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public bool IsSubscribedTo(string eventType) => IsActive && ListensTo(eventType);

    /// <summary>Whether the event type is among the webhook's, active or not (a disabled webhook records what it skips).</summary>
    public bool ListensTo(string eventType) => EventTypes.Contains(eventType, StringComparer.Ordinal);
}
