using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mem0.Core.Http;

/// <summary>One endpoint of the API: what both hosts expose (the Functions test compares this with functions.metadata).</summary>
public sealed record Mem0Route(string Method, string Template, string Name, Delegate Handler, bool RequiresApiKey = true);

/// <summary>The route table of the Mem0-compatible API. Templates are exact, with trailing slashes (contract §3.0).</summary>
public static class Mem0Routes
{
    public static IReadOnlyList<Mem0Route> All { get; } =
    [
        new("GET", "/v1/ping/", "Ping", PingEndpoints.PingAsync),

        new("POST", "/v3/memories/add/", "AddMemories", MemoryEndpoints.AddAsync),
        new("POST", "/v3/memories/search/", "SearchMemories", MemoryEndpoints.SearchAsync),
        new("POST", "/v3/memories/", "ListMemories", MemoryEndpoints.ListAsync),
        new("GET", "/v1/memories/{memoryId}/", "GetMemory", MemoryEndpoints.GetAsync),
        new("PUT", "/v1/memories/{memoryId}/", "UpdateMemory", MemoryEndpoints.UpdateAsync),
        new("DELETE", "/v1/memories/{memoryId}/", "DeleteMemory", MemoryEndpoints.DeleteAsync),
        new("DELETE", "/v1/memories/", "DeleteAllMemories", MemoryEndpoints.DeleteAllAsync),
        new("GET", "/v1/memories/{memoryId}/history/", "GetMemoryHistory", MemoryEndpoints.HistoryAsync),
        new("POST", "/v1/memories/import/", "ImportMemories", ImportEndpoints.ImportAsync),

        new("GET", "/v1/entities/", "ListEntities", EntityEndpoints.ListAsync),
        new("DELETE", "/v2/entities/{entityType}/{entityName}/", "DeleteEntity", EntityEndpoints.DeleteAsync),
        new("DELETE", "/v1/entities/{entityType}/{entityId}/", "DeleteEntityLegacy", EntityEndpoints.DeleteLegacyAsync),

        new("PUT", "/v1/batch/", "BatchUpdateMemories", BatchEndpoints.UpdateAsync),
        new("DELETE", "/v1/batch/", "BatchDeleteMemories", BatchEndpoints.DeleteAsync),

        new("GET", "/v1/events/", "ListEvents", EventEndpoints.ListAsync),
        new("GET", "/v1/event/{eventId}/", "GetEvent", EventEndpoints.GetAsync),

        new("POST", "/v1/memories/", "AddMemoriesV1", LegacyEndpoints.AddV1Async),
        new("POST", "/v1/memories/search/", "SearchMemoriesV1", LegacyEndpoints.SearchV1Async),
        new("GET", "/v1/memories/", "ListMemoriesV1", LegacyEndpoints.ListV1Async),
        new("POST", "/v2/memories/search/", "SearchMemoriesV2", LegacyEndpoints.SearchV2Async),
        new("POST", "/v2/memories/", "ListMemoriesV2", LegacyEndpoints.ListV2Async),

        new("POST", "/v1/feedback/", "CreateFeedback", FeedbackEndpoints.CreateAsync),
        new("POST", "/v1/exports/", "CreateMemoryExport", ExportEndpoints.CreateAsync),
        new("POST", "/v1/exports/get/", "GetMemoryExport", ExportEndpoints.GetAsync),
        new("POST", "/v1/summary/", "GetMemorySummary", SummaryEndpoints.GetAsync),
        new("GET", "/api/v1/orgs/organizations/{orgId}/projects/{projectId}/", "GetProject", ProjectEndpoints.GetAsync),
        new("PATCH", "/api/v1/orgs/organizations/{orgId}/projects/{projectId}/", "UpdateProject", ProjectEndpoints.UpdateAsync),

        new("GET", "/api/v1/webhooks/projects/{projectId}/", "ListWebhooks", WebhookEndpoints.ListAsync),
        new("POST", "/api/v1/webhooks/projects/{projectId}/", "CreateWebhook", WebhookEndpoints.CreateAsync),
        new("PUT", "/api/v1/webhooks/{webhookId}/", "UpdateWebhook", WebhookEndpoints.UpdateAsync),
        new("DELETE", "/api/v1/webhooks/{webhookId}/", "DeleteWebhook", WebhookEndpoints.DeleteAsync),
        new("GET", "/api/v1/webhooks/{webhookId}/deliveries/", "ListWebhookDeliveries", WebhookEndpoints.ListDeliveriesAsync),
        new("POST", "/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver/", "RedeliverWebhookDelivery", WebhookEndpoints.RedeliverAsync),

        new("POST", "/v1/admin/projects/", "AdminCreateProject", AdminEndpoints.CreateProjectAsync, RequiresApiKey: false),
        new("GET", "/v1/admin/projects/", "AdminListProjects", AdminEndpoints.ListProjectsAsync, RequiresApiKey: false),
        new("POST", "/v1/admin/projects/{projectId}/api-keys/", "AdminCreateApiKey", AdminEndpoints.CreateApiKeyAsync, RequiresApiKey: false),
        new("GET", "/v1/admin/projects/{projectId}/api-keys/", "AdminListApiKeys", AdminEndpoints.ListApiKeysAsync, RequiresApiKey: false),
        new("DELETE", "/v1/admin/projects/{projectId}/api-keys/{keyId}/", "AdminRevokeApiKey", AdminEndpoints.RevokeApiKeyAsync, RequiresApiKey: false),
    ];

    /// <summary>The unauthenticated probes both hosts serve besides the API (not part of the Mem0 contract).</summary>
    public static IReadOnlyList<Mem0Route> Health { get; } =
    [
        new("GET", HealthEndpoints.LivePath, "Healthz", HealthEndpoints.LiveAsync, RequiresApiKey: false),
        new("GET", HealthEndpoints.ReadyPath, "Readyz", HealthEndpoints.ReadyAsync, RequiresApiKey: false),
    ];

    /// <summary>Every route each host exposes: the API and the probes (the hosts' parity tests compare against this).</summary>
    public static IReadOnlyList<Mem0Route> Hosted { get; } = [.. All, .. Health];

    /// <summary>Maps every hosted route; API-key routes go through <see cref="ApiKeyEndpointFilter"/>.</summary>
    public static IEndpointRouteBuilder MapMem0Api(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var route in Hosted)
        {
            var builder = endpoints.MapMethods(route.Template, [route.Method], route.Handler).WithName(route.Name);
            if (route.RequiresApiKey)
            {
                builder.AddEndpointFilter<ApiKeyEndpointFilter>();
            }
        }

        return endpoints;
    }
}
