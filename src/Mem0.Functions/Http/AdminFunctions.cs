using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Admin API: projects and API keys (guarded by the admin key, not an API key). Each function delegates to <see cref="AdminEndpoints"/>, the handler the local server maps too.</summary>
public sealed class AdminFunctions
{
    private readonly Mem0ApiServices _services;

    public AdminFunctions(Mem0ApiServices services)
    {
        _services = services;
    }

    [Function(nameof(AdminCreateProject))]
    public Task<IResult> AdminCreateProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/projects/")] HttpRequest request) =>
        AdminEndpoints.CreateProjectAsync(request, _services);

    [Function(nameof(AdminListProjects))]
    public Task<IResult> AdminListProjects(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/projects/")] HttpRequest request) =>
        AdminEndpoints.ListProjectsAsync(request, _services);

    [Function(nameof(AdminCreateApiKey))]
    public Task<IResult> AdminCreateApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/projects/{projectId}/api-keys/")] HttpRequest request,
        string projectId) =>
        AdminEndpoints.CreateApiKeyAsync(request, projectId, _services);

    [Function(nameof(AdminListApiKeys))]
    public Task<IResult> AdminListApiKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/admin/projects/{projectId}/api-keys/")] HttpRequest request,
        string projectId) =>
        AdminEndpoints.ListApiKeysAsync(request, projectId, _services);

    [Function(nameof(AdminRevokeApiKey))]
    public Task<IResult> AdminRevokeApiKey(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/admin/projects/{projectId}/api-keys/{keyId}/")] HttpRequest request,
        string projectId,
        string keyId) =>
        AdminEndpoints.RevokeApiKeyAsync(request, projectId, keyId, _services);
}
