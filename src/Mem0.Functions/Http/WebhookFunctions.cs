using Mem0.Core.Http;
using Mem0.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Webhook registration. Each function delegates to <see cref="WebhookEndpoints"/>, the handler the local server maps too.</summary>
public sealed class WebhookFunctions
{
    private readonly Mem0ApiServices _services;
    private readonly WebhookRegistrationService _webhooks;
    private readonly WebhookDeliveryLogService _deliveries;

    public WebhookFunctions(Mem0ApiServices services, WebhookRegistrationService webhooks, WebhookDeliveryLogService deliveries)
    {
        _services = services;
        _webhooks = webhooks;
        _deliveries = deliveries;
    }

    [Function(nameof(ListWebhooks))]
    public Task<IResult> ListWebhooks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/webhooks/projects/{projectId}/")] HttpRequest request,
        string projectId) =>
        WebhookEndpoints.ListAsync(request, projectId, _webhooks);

    [Function(nameof(CreateWebhook))]
    public Task<IResult> CreateWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/projects/{projectId}/")] HttpRequest request,
        string projectId) =>
        WebhookEndpoints.CreateAsync(request, projectId, _webhooks, _services);

    [Function(nameof(UpdateWebhook))]
    public Task<IResult> UpdateWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v1/webhooks/{webhookId}/")] HttpRequest request,
        string webhookId) =>
        WebhookEndpoints.UpdateAsync(request, webhookId, _webhooks);

    [Function(nameof(DeleteWebhook))]
    public Task<IResult> DeleteWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/v1/webhooks/{webhookId}/")] HttpRequest request,
        string webhookId) =>
        WebhookEndpoints.DeleteAsync(request, webhookId, _webhooks);

    [Function(nameof(ListWebhookDeliveries))]
    public Task<IResult> ListWebhookDeliveries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/webhooks/{webhookId}/deliveries/")] HttpRequest request,
        string webhookId) =>
        WebhookEndpoints.ListDeliveriesAsync(request, webhookId, _deliveries);

    [Function(nameof(RedeliverWebhookDelivery))]
    public Task<IResult> RedeliverWebhookDelivery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver/")] HttpRequest request,
        string webhookId,
        string deliveryId) =>
        WebhookEndpoints.RedeliverAsync(request, webhookId, deliveryId, _deliveries);
}
