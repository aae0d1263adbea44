using Mem0.Core.Webhooks;

namespace Mem0.Azure.Cosmos;

/// <summary>A webhook in the <c>webhooks</c> container (partitioned by projectId; id = webhook id).</summary>
internal sealed class WebhookDocument
{
    public required string Id { get; init; }

    public required string ProjectId { get; init; }

    public required string Name { get; init; }

    public required string Url { get; init; }

    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>Encrypted with Data Protection before it reaches the store; never the clear secret.</summary>
    public required string ProtectedSecret { get; init; }

    public string? Owner { get; init; }

    public bool IsActive { get; init; }

    public int ConsecutiveFailures { get; init; }

    public string? DisabledReason { get; init; }

    public required string CreatedAt { get; init; }

    public required string UpdatedAt { get; init; }

    public static WebhookDocument FromWebhook(Webhook w) => new()
    {
        Id = w.Id,
        ProjectId = w.ProjectId,
        Name = w.Name,
        Url = w.Url,
        EventTypes = w.EventTypes,
        ProtectedSecret = w.ProtectedSecret,
        Owner = w.Owner,
        IsActive = w.IsActive,
        ConsecutiveFailures = w.ConsecutiveFailures,
        DisabledReason = w.DisabledReason,
        CreatedAt = CosmosJson.FormatTime(w.CreatedAt),
        UpdatedAt = CosmosJson.FormatTime(w.UpdatedAt),
    };

    public Webhook ToWebhook() => new()
    {
        Id = Id,
        ProjectId = ProjectId,
        Name = Name,
        Url = Url,
        EventTypes = EventTypes ?? [],
        ProtectedSecret = ProtectedSecret,
        Owner = Owner,
        IsActive = IsActive,
        ConsecutiveFailures = ConsecutiveFailures,
        DisabledReason = DisabledReason,
        CreatedAt = CosmosJson.ParseTime(CreatedAt),
        UpdatedAt = CosmosJson.ParseTime(UpdatedAt),
    };
}

/// <summary>What a document of the <c>webhookdeliveries</c> container records.</summary>
internal enum WebhookDeliveryKind
{
    /// <summary>One entry of the delivery log.</summary>
    Attempt,

    /// <summary>The first terminal outcome of a delivery id (id <see cref="WebhookDeliveryDocument.CompletedId"/>): the de-duplication record.</summary>
    Completed,
}

/// <summary>
/// A delivery log entry or completion record in the <c>webhookdeliveries</c> container, partitioned by delivery id so
/// the per-message duplicate check is a 1 RU point read; the container TTL expires both after 30 days, far beyond a
/// delivery's retry window and the queue's message lifetime.
/// </summary>
internal sealed class WebhookDeliveryDocument
{
    public const string CompletedId = "completed";

    public required string Id { get; init; }

    public required string DeliveryId { get; init; }

    public required WebhookDeliveryKind Kind { get; init; }

    public required string WebhookId { get; init; }

    public required string ProjectId { get; init; }

    public required string EventType { get; init; }

    public required int Attempt { get; init; }

    public required WebhookDeliveryStatus Status { get; init; }

    public int? StatusCode { get; init; }

    public string? ResponseExcerpt { get; init; }

    public string? Error { get; init; }

    /// <summary>The queued message (its JSON), on dead-lettered and skipped entries only: what a redelivery sends.</summary>
    public string? Message { get; init; }

    /// <summary>When the attempt ended (named like the other containers' time field so ORDER BY reads the same).</summary>
    public required string CreatedAt { get; init; }

    /// <summary>Log entries are keyed by attempt and status, so recording the same attempt again (a redelivered message) overwrites itself.</summary>
    public static string AttemptId(WebhookDelivery d) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"attempt-{d.Attempt}-{d.Status.ToString().ToLowerInvariant()}");

    public static WebhookDeliveryDocument From(WebhookDelivery d, WebhookDeliveryKind kind) => new()
    {
        Id = kind == WebhookDeliveryKind.Completed ? CompletedId : AttemptId(d),
        DeliveryId = d.DeliveryId,
        Kind = kind,
        WebhookId = d.WebhookId,
        ProjectId = d.ProjectId,
        EventType = d.EventType,
        Attempt = d.Attempt,
        Status = d.Status,
        StatusCode = d.StatusCode,
        ResponseExcerpt = WebhookDelivery.Excerpt(d.ResponseExcerpt),
        Error = d.Error,
        CreatedAt = CosmosJson.FormatTime(d.At),
        Message = d.Message?.ToJson(),
    };

    public WebhookDelivery ToDelivery() => new()
    {
        DeliveryId = DeliveryId,
        WebhookId = WebhookId,
        ProjectId = ProjectId,
        EventType = EventType,
        Attempt = Attempt,
        Status = Status,
        StatusCode = StatusCode,
        ResponseExcerpt = ResponseExcerpt,
        Error = Error,
        At = CosmosJson.ParseTime(CreatedAt),
        Message = Message is null ? null : WebhookDeliveryMessage.FromJson(Message),
    };
}
