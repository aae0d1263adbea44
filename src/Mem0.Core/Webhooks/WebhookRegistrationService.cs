using Mem0.Core.Common;

namespace Mem0.Core.Webhooks;

/// <summary>A registration request; null members of an update are left unchanged.</summary>
public sealed record WebhookDraft(string? Name, string? Url, IReadOnlyList<string>? EventTypes, bool? IsActive = null);

/// <summary>A created webhook and its signing secret, which is shown this once and never again.</summary>
public sealed record CreatedWebhook(Webhook Webhook, string Secret);

/// <summary>Creates, lists, updates and deletes a project's webhooks, validating input and project ownership.</summary>
public sealed class WebhookRegistrationService
{
    public const int MaxNameLength = 200;
    public const int MaxUrlLength = 2048;

    private readonly IWebhookStore _store;
    private readonly DestinationGuard _guard;
    private readonly WebhookSecretProtector _secrets;
    private readonly TimeProvider _timeProvider;

    public WebhookRegistrationService(IWebhookStore store, DestinationGuard guard, WebhookSecretProtector secrets, TimeProvider timeProvider)
    {
        _store = store;
        _guard = guard;
        _secrets = secrets;
        _timeProvider = timeProvider;
    }

    public async Task<IReadOnlyList<Webhook>> ListAsync(string callerProjectId, string projectId, CancellationToken cancellationToken = default)
    {
        EnsureSameProject(callerProjectId, projectId);
        return await _store.ListAsync(projectId, cancellationToken);
    }

    public async Task<CreatedWebhook> CreateAsync(string callerProjectId, string projectId, WebhookDraft draft, string? owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        EnsureSameProject(callerProjectId, projectId);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = ValidateName(draft.Name, required: true, errors);
        var eventTypes = ValidateEventTypes(draft.EventTypes, required: true, errors);
        var url = await ValidateUrlAsync(draft.Url, required: true, errors, cancellationToken);
        ThrowIfAny(errors);

        var now = _timeProvider.GetUtcNow();
        var secret = WebhookSigner.CreateSecret();
        var webhook = new Webhook
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = projectId,
            Name = name!,
            Url = url!,
            EventTypes = eventTypes!,
            ProtectedSecret = _secrets.Protect(secret),
            Owner = owner,
            IsActive = draft.IsActive ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _store.CreateAsync(webhook, cancellationToken);
        return new CreatedWebhook(webhook, secret);
    }

    /// <summary>
    /// Applies the given members. Setting <c>is_active</c> to true re-enables a webhook that was disabled for failing,
    /// clearing its failure count and reason.
    /// </summary>
    public async Task<Webhook> UpdateAsync(string callerProjectId, string webhookId, WebhookDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var current = await GetOwnedAsync(callerProjectId, webhookId, cancellationToken);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = ValidateName(draft.Name, required: false, errors);
        var eventTypes = ValidateEventTypes(draft.EventTypes, required: false, errors);
        var url = await ValidateUrlAsync(draft.Url, required: false, errors, cancellationToken);
        ThrowIfAny(errors);

        var reactivate = draft.IsActive == true && !current.IsActive;
        var updated = current with
        {
            Name = name ?? current.Name,
            Url = url ?? current.Url,
            EventTypes = eventTypes ?? current.EventTypes,
            IsActive = draft.IsActive ?? current.IsActive,
            ConsecutiveFailures = reactivate ? 0 : current.ConsecutiveFailures,
            DisabledReason = reactivate ? null : current.DisabledReason,
            UpdatedAt = _timeProvider.GetUtcNow(),
        };
        await _store.UpdateAsync(updated, cancellationToken);
        return updated;
    }

    public async Task DeleteAsync(string callerProjectId, string webhookId, CancellationToken cancellationToken = default)
    {
        await GetOwnedAsync(callerProjectId, webhookId, cancellationToken);
        if (!await _store.DeleteAsync(webhookId, cancellationToken))
        {
            throw new NotFoundException(ResourceKind.Webhook, "Webhook not found");
        }
    }

    private async Task<Webhook> GetOwnedAsync(string callerProjectId, string webhookId, CancellationToken cancellationToken)
    {
        var webhook = await _store.GetAsync(webhookId, cancellationToken) ?? throw new NotFoundException(ResourceKind.Webhook, "Webhook not found");
        if (webhook.ProjectId != callerProjectId)
        {
            throw new WebhookAccessDeniedException("You don't have access to this webhook");
        }

        return webhook;
    }

    private static void EnsureSameProject(string callerProjectId, string projectId)
    {
        if (!string.Equals(callerProjectId, projectId, StringComparison.Ordinal))
        {
            throw new WebhookAccessDeniedException("You don't have access to this project");
        }
    }

    private static string? ValidateName(string? name, bool required, Dictionary<string, string[]> errors)
    {
        if (name is null)
        {
            if (required)
            {
                errors["name"] = ["This field is required."];
            }

            return null;
        }

        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            errors["name"] = ["This field may not be blank."];
        }
        else if (trimmed.Length > MaxNameLength)
        {
            errors["name"] = [$"Ensure this field has no more than {MaxNameLength} characters."];
        }

        return trimmed;
    }

    private static List<string>? ValidateEventTypes(IReadOnlyList<string>? eventTypes, bool required, Dictionary<string, string[]> errors)
    {
        if (eventTypes is null)
        {
            if (required)
            {
                errors["event_types"] = ["This field is required."];
            }

            return null;
        }

        if (eventTypes.Count == 0)
        {
            errors["event_types"] = ["This list may not be empty."];
            return null;
        }

        var unknown = eventTypes.Where(t => !WebhookEventTypes.IsKnown(t)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            errors["event_types"] = [.. unknown.Select(t => $"\"{t}\" is not a valid choice. Valid: {string.Join(", ", WebhookEventTypes.All)}.")];
            return null;
        }

        return eventTypes.Distinct(StringComparer.Ordinal).ToList();
    }

    private async Task<string?> ValidateUrlAsync(string? url, bool required, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            if (required)
            {
                errors["url"] = ["This field is required."];
            }

            return null;
        }

        if (url.Length > MaxUrlLength)
        {
            errors["url"] = [$"Ensure this field has no more than {MaxUrlLength} characters."];
            return null;
        }

        try
        {
            return (await _guard.ValidateUrlAsync(url, cancellationToken)).AbsoluteUri;
        }
        catch (ValidationException ex)
        {
            errors["url"] = [ex.Message];
            return null;
        }
    }

    private static void ThrowIfAny(Dictionary<string, string[]> errors)
    {
        if (errors.Count > 0)
        {
            throw new WebhookValidationException(errors);
        }
    }
}
