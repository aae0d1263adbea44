using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Project settings. Each function delegates to <see cref="ProjectEndpoints"/>, the handler the local server maps too.</summary>
public sealed class ProjectFunctions
{
    private readonly Mem0ApiServices _services;

    public ProjectFunctions(Mem0ApiServices services)
    {
        _services = services;
    }

    [Function(nameof(GetProject))]
    public Task<IResult> GetProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/v1/orgs/organizations/{orgId}/projects/{projectId}/")] HttpRequest request,
        string orgId,
        string projectId) =>
        ProjectEndpoints.GetAsync(request, orgId, projectId, _services);

    [Function(nameof(UpdateProject))]
    public Task<IResult> UpdateProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/v1/orgs/organizations/{orgId}/projects/{projectId}/")] HttpRequest request,
        string orgId,
        string projectId) =>
        ProjectEndpoints.UpdateAsync(request, orgId, projectId, _services);
}
