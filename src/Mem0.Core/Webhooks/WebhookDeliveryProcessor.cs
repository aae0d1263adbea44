using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Webhooks;

/// <summary>What processing one queue message did.</summary>
public enum WebhookProcessingOutcome
{
    Delivered,
    RetryScheduled,
    DeadLettered,

    /// <summary>The webhook is gone, disabled or no longer subscribed: nothing sent.</summary>
    Skipped,

    /// <summary>The delivery id was already processed to the end (a redelivered message): nothing sent.</summary>
    Duplicate,
}

/// <summary>
/// Handles one delivery message, whichever transport brought it: de-duplicates by delivery id, sends, records the
/// attempt, schedules the retry or dead-letters, and disables a webhook that keeps failing. Shared by the local worker,
/// the Storage queue pump and the Functions queue trigger.
/// </summary>
public sealed partial class WebhookDeliveryProcessor
{
    private readonly IWebhookStore _store;
    private readonly WebhookDeliverer _deliverer;
    private readonly WebhookSecretProtector _secrets;
    private readonly INotificationTransport _transport;
    private readonly WebhookRetryPolicy _retryPolicy;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WebhookDeliveryProcessor> _logger;

    public WebhookDeliveryProcessor(
        IWebhookStore store,
        WebhookDeliverer deliverer,
        WebhookSecretProtector secrets,
        INotificationTransport transport,
        WebhookRetryPolicy retryPolicy,
        IOptions<WebhookOptions> options,
        TimeProvider timeProvider,
        ILogger<WebhookDeliveryProcessor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _deliverer = deliverer;
        _secrets = secrets;
        _transport = transport;
        _retryPolicy = retryPolicy;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<WebhookProcessingOutcome> ProcessAsync(WebhookDeliveryMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await _store.GetCompletedDeliveryAsync(message.DeliveryId, cancellationToken) is not null)
        {
            LogDuplicate(_logger, message.DeliveryId);
            return WebhookProcessingOutcome.Duplicate;
        }

        var webhook = await _store.GetAsync(message.WebhookId, cancellationToken);
        if (webhook is null || webhook.ProjectId != message.ProjectId || !webhook.IsSubscribedTo(message.EventType))
        {
            // Kept with its message: re-enabling the webhook and asking for a redelivery sends it after all.
            await RecordAsync(message, WebhookDeliveryStatus.Skipped, null, SkippedReason, cancellationToken, keepMessage: true);
            return WebhookProcessingOutcome.Skipped;
        }

        var result = await _deliverer.SendAsync(webhook.Url, _secrets.Unprotect(webhook.ProtectedSecret), message, cancellationToken);
        if (result.Outcome == DeliveryAttemptOutcome.Succeeded)
        {
            await RecordAsync(message, WebhookDeliveryStatus.Delivered, result, null, cancellationToken);
            await ResetFailuresAsync(message.WebhookId, cancellationToken);
            return WebhookProcessingOutcome.Delivered;
        }

        if (result.Outcome == DeliveryAttemptOutcome.Retryable && _retryPolicy.CanRetry(message.Attempt))
        {
            // Enqueue the next attempt before this message is completed: a crash in between duplicates, never loses.
            var delay = _retryPolicy.GetDelay(message.Attempt);
            await _transport.SendDelayedAsync(message with { Attempt = message.Attempt + 1 }, delay, cancellationToken);
            await RecordAsync(message, WebhookDeliveryStatus.Failed, result, result.Error, cancellationToken);
            LogRetry(_logger, message.DeliveryId, message.Attempt + 1, delay);
            return WebhookProcessingOutcome.RetryScheduled;
        }

        var reason = result.Outcome == DeliveryAttemptOutcome.Permanent
            ? $"Permanent failure on attempt {message.Attempt}: {result.Error}"
            : $"Gave up after {message.Attempt} attempts: {result.Error}";
        await _transport.DeadLetterAsync(message, reason, cancellationToken);
        await RecordAsync(message, WebhookDeliveryStatus.DeadLettered, result, reason, cancellationToken, keepMessage: true);
        await CountFailureAsync(message.WebhookId, reason, cancellationToken);
        LogDeadLettered(_logger, message.DeliveryId, message.WebhookId, message.Attempt);
        return WebhookProcessingOutcome.DeadLettered;
    }

    /// <summary>The error recorded for a delivery not sent because the webhook was disabled, unsubscribed or deleted.</summary>
    public const string SkippedReason = "The webhook was disabled, unsubscribed or deleted.";

    private Task RecordAsync(WebhookDeliveryMessage message, WebhookDeliveryStatus status, DeliveryAttemptResult? result, string? error, CancellationToken cancellationToken, bool keepMessage = false) =>
        _store.RecordDeliveryAsync(
            new WebhookDelivery
            {
                DeliveryId = message.DeliveryId,
                WebhookId = message.WebhookId,
                ProjectId = message.ProjectId,
                EventType = message.EventType,
                Attempt = message.Attempt,
                Status = status,
                StatusCode = result?.StatusCode,
                ResponseExcerpt = WebhookDelivery.Excerpt(result?.ResponseExcerpt),
                Error = error,
                At = _timeProvider.GetUtcNow(),
                Message = keepMessage ? message : null,
            },
            cancellationToken);

    private async Task ResetFailuresAsync(string webhookId, CancellationToken cancellationToken)
    {
        var current = await _store.GetAsync(webhookId, cancellationToken);
        if (current is { ConsecutiveFailures: > 0 })
        {
            await _store.UpdateAsync(current with { ConsecutiveFailures = 0 }, cancellationToken);
        }
    }

    private async Task CountFailureAsync(string webhookId, string reason, CancellationToken cancellationToken)
    {
        // Re-read just before writing so a concurrent edit by the owner (rename, new URL) is kept.
        var current = await _store.GetAsync(webhookId, cancellationToken);
        if (current is null)
        {
            return;
        }

        var failures = current.ConsecutiveFailures + 1;
        var disable = current.IsActive && failures >= _options.DisableAfterConsecutiveFailures;
        await _store.UpdateAsync(
            current with
            {
                ConsecutiveFailures = failures,
                IsActive = current.IsActive && !disable,
                DisabledReason = disable
                    ? $"Disabled after {failures} consecutive failed deliveries. Last: {reason}"
                    : current.DisabledReason,
                UpdatedAt = disable ? _timeProvider.GetUtcNow() : current.UpdatedAt,
            },
            cancellationToken);
        if (disable)
        {
            LogDisabled(_logger, webhookId, failures);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} was already processed; redelivered message ignored")]
    private static partial void LogDuplicate(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId}: attempt {NextAttempt} scheduled in {Delay}")]
    private static partial void LogRetry(ILogger logger, string deliveryId, int nextAttempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} dead-lettered after attempt {Attempt}")]
    private static partial void LogDeadLettered(ILogger logger, string deliveryId, string webhookId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId} disabled after {Failures} consecutive failed deliveries")]
    private static partial void LogDisabled(ILogger logger, string webhookId, int failures);
}
