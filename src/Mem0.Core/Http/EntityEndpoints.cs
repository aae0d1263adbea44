using Mem0.Core.Common;
using Mem0.Core.Memories;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>Entities: the users, agents, apps and runs that own memories (contract §3.9).</summary>
public static class EntityEndpoints
{
    /// <summary><c>GET /v1/entities/</c>: the envelope plus per-kind totals.</summary>
    public static Task<IResult> ListAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Message, async (caller, ct) =>
        {
            var page = PageRequest.From(request, null);
            EntityType? type = RequestParsing.Query(request, "type") is { } typeFilter && TryParseType(typeFilter, out var onlyType) ? onlyType : null;
            var entities = await services.Memories.ListEntitiesPageAsync(caller.ProjectId, type, page.Page, page.PageSize, ct);
            var next = entities.HasNext ? page.Link(request, page.Page + 1, null) : null;
            var previous = page.Page > 1 ? page.Link(request, page.Page - 1, null) : null;
            return EndpointRunner.Json(new EntityPageDto(
                entities.TotalCount,
                next,
                previous,
                [.. entities.Items.Select(e => EntityDto.From(e, entities.OwnerEmail))],
                entities.Users,
                entities.Agents,
                entities.Apps,
                entities.Runs));
        });

    /// <summary><c>DELETE /v2/entities/{entityType}/{entityName}/</c>: deletes the entity's memories.</summary>
    public static Task<IResult> DeleteAsync(HttpRequest request, string entityType, string entityName, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Message, async (caller, ct) =>
        {
            var type = ParseType(RequestParsing.DecodeSegment(request, entityType, "entity_type"));
            var name = RequestParsing.DecodeSegment(request, entityName, "entity_name");
            var memoryEvent = await services.Memories.DeleteEntityAsync(caller.ProjectId, type, name, ct);
            return EndpointRunner.Json(new DeleteQueuedDto("Delete in progress. This may take some time.", memoryEvent.Id));
        });

    /// <summary>
    /// Deprecated <c>DELETE /v1/entities/{entityType}/{entityId}/</c>: the platform takes numeric ids only (400 otherwise),
    /// the ids <c>GET /v1/entities/</c> lists.
    /// </summary>
    public static Task<IResult> DeleteLegacyAsync(HttpRequest request, string entityType, string entityId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var type = ParseType(RequestParsing.DecodeSegment(request, entityType, "entity_type"));
            var id = RequestParsing.DecodeSegment(request, entityId, "entity_id");
            var deleted = await services.Memories.DeleteEntityByIdAsync(caller.ProjectId, type, id, ct);
            return EndpointRunner.Json(new Dictionary<string, object> { ["message"] = "Entity deleted successfully.", ["deleted"] = deleted });
        });

    internal static EntityType ParseType(string value) =>
        TryParseType(value, out var type) ? type : throw new ValidationException("entity_type", "Invalid entity type");

    private static bool TryParseType(string value, out EntityType type)
    {
        switch (value.Trim().ToLowerInvariant())
        {
            case "user" or "users":
                type = EntityType.User;
                return true;
            case "agent" or "agents":
                type = EntityType.Agent;
                return true;
            case "app" or "apps":
                type = EntityType.App;
                return true;
            case "run" or "runs":
                type = EntityType.Run;
                return true;
            default:
                type = default;
                return false;
        }
    }
}
