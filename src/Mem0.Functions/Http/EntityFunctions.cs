using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Entities (users, agents, apps, runs) and their deletion. Each function delegates to <see cref="EntityEndpoints"/>, the handler the local server maps too.</summary>
public sealed class EntityFunctions
{
    private readonly Mem0ApiServices _services;

    public EntityFunctions(Mem0ApiServices services)
    {
        _services = services;
    }

    [Function(nameof(ListEntities))]
    public Task<IResult> ListEntities(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/entities/")] HttpRequest request) =>
        EntityEndpoints.ListAsync(request, _services);

    [Function(nameof(DeleteEntity))]
    public Task<IResult> DeleteEntity(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v2/entities/{entityType}/{entityName}/")] HttpRequest request,
        string entityType,
        string entityName) =>
        EntityEndpoints.DeleteAsync(request, entityType, entityName, _services);

    [Function(nameof(DeleteEntityLegacy))]
    public Task<IResult> DeleteEntityLegacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/entities/{entityType}/{entityId}/")] HttpRequest request,
        string entityType,
        string entityId) =>
        EntityEndpoints.DeleteLegacyAsync(request, entityType, entityId, _services);
}
