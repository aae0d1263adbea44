using System.Text.Json;
using System.Text.Json.Serialization;
using Mem0.Core.Common;
using Mem0.Core.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>
/// Webhook registration (contract §3.13). Errors use the platform's webhook shapes: 400 field-keyed
/// <c>{"url": ["..."]}</c>, 403 and 404 <c>{"error": "..."}</c>; each also carries <c>detail</c> for the Python client.
/// </summary>
public static class WebhookEndpoints
{
    public static Task<IResult> ListAsync(HttpRequest request, string projectId, WebhookRegistrationService webhooks) =>
        RunAsync(request, async (caller, ct) =>
        {
            var id = RequestParsing.DecodeSegment(projectId, "project_id");
            var list = await webhooks.ListAsync(caller.ProjectId, id, ct);
            return EndpointRunner.Json(list.Select(w => WebhookDto.From(w)).ToList());
        });

    public static Task<IResult> CreateAsync(HttpRequest request, string projectId, WebhookRegistrationService webhooks, Mem0ApiServices services) =>
        RunAsync(request, async (caller, ct) =>
        {
            var id = RequestParsing.DecodeSegment(projectId, "project_id");
            var draft = await ReadDraftAsync(request);
            var owner = id == caller.ProjectId ? (await services.Projects.FindAsync(id, ct))?.OwnerEmail : null;
            var created = await webhooks.CreateAsync(caller.ProjectId, id, draft, owner, ct);
            return EndpointRunner.Json(WebhookDto.From(created.Webhook, created.Secret), StatusCodes.Status201Created);
        });

    public static Task<IResult> UpdateAsync(HttpRequest request, string webhookId, WebhookRegistrationService webhooks) =>
        RunAsync(request, async (caller, ct) =>
        {
            var id = RequestParsing.DecodeSegment(webhookId, "webhook_id");
            await webhooks.UpdateAsync(caller.ProjectId, id, await ReadDraftAsync(request), ct);
            return EndpointRunner.Json(new MessageDto("Webhook updated successfully"));
        });

    public static Task<IResult> DeleteAsync(HttpRequest request, string webhookId, WebhookRegistrationService webhooks) =>
        RunAsync(request, async (caller, ct) =>
        {
            var id = RequestParsing.DecodeSegment(webhookId, "webhook_id");
            await webhooks.DeleteAsync(caller.ProjectId, id, ct);
            return EndpointRunner.Json(new MessageDto("Webhook deleted successfully"));
        });

    /// <summary>The webhook's recent deliveries, newest first (<c>?limit=</c>, default 50, at most 500).</summary>
    public static Task<IResult> ListDeliveriesAsync(HttpRequest request, string webhookId, WebhookDeliveryLogService deliveries) =>
        RunAsync(request, async (caller, ct) =>
        {
            var id = RequestParsing.DecodeSegment(webhookId, "webhook_id");
            var limit = WebhookDeliveryLogService.DefaultLimit;
            if (RequestParsing.Query(request, "limit") is { } text
                && (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out limit)
                    || limit < 1 || limit > WebhookDeliveryLogService.MaxLimit))
            {
                throw new WebhookValidationException(new Dictionary<string, string[]>(StringComparer.Ordinal)
                {
                    ["limit"] = [$"Must be an integer from 1 to {WebhookDeliveryLogService.MaxLimit}."],
                });
            }

            var list = await deliveries.ListAsync(caller.ProjectId, id, limit, ct);
            return EndpointRunner.Json(list.Select(WebhookDeliveryDto.From).ToList());
        });

    /// <summary>Queues a dead-lettered or skipped delivery again (202); 409 for any other state or a disabled webhook.</summary>
    public static Task<IResult> RedeliverAsync(HttpRequest request, string webhookId, string deliveryId, WebhookDeliveryLogService deliveries) =>
        RunAsync(request, async (caller, ct) =>
        {
            var id = RequestParsing.DecodeSegment(webhookId, "webhook_id");
            var delivery = RequestParsing.DecodeSegment(deliveryId, "delivery_id");
            try
            {
                await deliveries.RedeliverAsync(caller.ProjectId, id, delivery, ct);
            }
            catch (NotFoundException ex)
            {
                return ApiErrors.Json(StatusCodes.Status404NotFound, ex.Message);
            }
            catch (WebhookRedeliveryConflictException ex)
            {
                return ApiErrors.Json(StatusCodes.Status409Conflict, ex.Message);
            }

            return EndpointRunner.Json(new RedeliveryDto("Redelivery queued", delivery), StatusCodes.Status202Accepted);
        });

    private static Task<IResult> RunAsync(HttpRequest request, Func<CallerContext, CancellationToken, Task<IResult>> body) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            try
            {
                return await body(caller, ct);
            }
            catch (WebhookValidationException ex)
            {
                var errors = new Dictionary<string, object?>(StringComparer.Ordinal) { ["detail"] = ex.Message };
                foreach (var (field, messages) in ex.Errors)
                {
                    errors[field] = messages;
                }

                return EndpointRunner.Json(errors, StatusCodes.Status400BadRequest);
            }
            catch (WebhookAccessDeniedException ex)
            {
                return ApiErrors.Json(StatusCodes.Status403Forbidden, ex.Message);
            }
            catch (NotFoundException)
            {
                return ApiErrors.Json(StatusCodes.Status404NotFound, "Webhook not found");
            }
        });

    private static async Task<WebhookDraft> ReadDraftAsync(HttpRequest request) =>
        (await JsonBody.ReadAsync(request, maxBytes: 64 * 1024)).Bind<WebhookRequestBody>().ToDraft();
}

/// <summary>
/// The body of webhook create and update. The fields stay raw here because the platform reports every bad field at
/// once (<c>{"url": ["..."], "is_active": ["..."]}</c>) rather than the first, so <see cref="ToDraft"/> collects them.
/// </summary>
internal sealed record WebhookRequestBody
{
    [JsonPropertyName("name")]
    public JsonElement? Name { get; init; }

    [JsonPropertyName("url")]
    public JsonElement? Url { get; init; }

    [JsonPropertyName("event_types")]
    public JsonElement? EventTypes { get; init; }

    [JsonPropertyName("is_active")]
    public JsonElement? IsActive { get; init; }

    public WebhookDraft ToDraft()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var name = Text(Name, "name", errors);
        var url = Text(Url, "url", errors);
        List<string>? eventTypes = null;
        if (Given(EventTypes) is { } types)
        {
            if (types.ValueKind != JsonValueKind.Array || types.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            {
                errors["event_types"] = ["Expected a list of strings."];
            }
            else
            {
                eventTypes = [.. types.EnumerateArray().Select(t => t.GetString()!)];
            }
        }

        bool? isActive = null;
        if (Given(IsActive) is { } active)
        {
            if (active.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                isActive = active.GetBoolean();
            }
            else
            {
                errors["is_active"] = ["Must be a valid boolean."];
            }
        }

        return errors.Count > 0 ? throw new WebhookValidationException(errors) : new WebhookDraft(name, url, eventTypes, isActive);
    }

    // JSON null is the same as leaving the field out.
    private static JsonElement? Given(JsonElement? value) => value is { ValueKind: not JsonValueKind.Null } ? value : null;

    private static string? Text(JsonElement? value, string field, Dictionary<string, string[]> errors)
    {
        if (Given(value) is not { } given)
        {
            return null;
        }

        if (given.ValueKind != JsonValueKind.String)
        {
            errors[field] = ["Not a valid string."];
            return null;
        }

        return given.GetString();
    }
}

/// <summary>The wire webhook object; <c>secret</c> only in the creation response.</summary>
public sealed record WebhookDto(
    string WebhookId,
    string Name,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Owner,
    bool IsActive,
    string Project,
    string CreatedAt,
    string UpdatedAt,
    string? DisabledReason,
    int ConsecutiveFailures,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    public static WebhookDto From(Webhook webhook, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return new WebhookDto(
            webhook.Id,
            webhook.Name,
            webhook.Url,
            webhook.EventTypes,
            webhook.Owner,
            webhook.IsActive,
            webhook.ProjectId,
            Mem0Json.FormatTimestamp(webhook.CreatedAt),
            Mem0Json.FormatTimestamp(webhook.UpdatedAt),
            webhook.DisabledReason,
            webhook.ConsecutiveFailures,
            secret);
    }
}

/// <summary>One row of <c>GET /api/v1/webhooks/{id}/deliveries/</c>.</summary>
public sealed record WebhookDeliveryDto(
    string DeliveryId,
    string EventType,
    string Status,
    int Attempts,
    string? LastError,
    int? ResponseCode,
    string UpdatedAt,
    bool CanRedeliver)
{
    public static WebhookDeliveryDto From(WebhookDeliverySummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new WebhookDeliveryDto(
            summary.DeliveryId,
            summary.EventType,
            WebhookDeliveryLogService.WireStatus(summary.Status),
            summary.Attempts,
            summary.LastError,
            summary.ResponseCode,
            Mem0Json.FormatTimestamp(summary.UpdatedAt),
            summary.CanRedeliver);
    }
}

/// <summary>The answer to a redelivery request.</summary>
public sealed record RedeliveryDto(string Message, string DeliveryId);
