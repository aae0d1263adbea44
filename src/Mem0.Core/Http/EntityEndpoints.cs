using System.Globalization;
using Mem0.Core.Common;
using Mem0.Core.Jobs;
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
            var entities = await services.Memories.ListEntitiesAsync(caller.ProjectId, ct);
            if (RequestParsing.Query(request, "type") is { } typeFilter && TryParseType(typeFilter, out var onlyType))
            {
                entities = [.. entities.Where(e => e.Type == onlyType)];
            }

            var project = await services.Projects.GetProjectAsync(caller.ProjectId, ct);
            var slice = entities.Skip((page.Page - 1) * page.PageSize).Take(page.PageSize).ToList();
            if (page.Page > 1 && slice.Count == 0)
            {
                throw new MemoryNotFoundException("Invalid page.");
            }

            var next = page.Page * page.PageSize < entities.Count ? page.Link(request, page.Page + 1, null) : null;
            var previous = page.Page > 1 ? page.Link(request, page.Page - 1, null) : null;
            return EndpointRunner.Json(new EntityPageDto(
                entities.Count,
                next,
                previous,
                [.. slice.Select(e => EntityDto.From(e, project?.OwnerEmail))],
                entities.Count(e => e.Type == EntityType.User),
                entities.Count(e => e.Type == EntityType.Agent),
                entities.Count(e => e.Type == EntityType.App),
                entities.Count(e => e.Type == EntityType.Run)));
        });

    /// <summary><c>DELETE /v2/entities/{entityType}/{entityName}/</c>: deletes the entity's memories.</summary>
    public static Task<IResult> DeleteAsync(HttpRequest request, string entityType, string entityName, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Message, async (caller, ct) =>
        {
            var type = ParseType(RequestParsing.DecodeSegment(request, entityType, "entity_type"));
            var name = RequestParsing.DecodeSegment(request, entityName, "entity_name");
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ValidationException("entity_name", "The entity name must not be empty.");
            }

            var memoryEvent = await MemoryEndpoints.QueueDeleteAsync(
                caller, services, new DeleteTarget(EntityType: type.ToString(), EntityName: name), ct);
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
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new ValidationException("entity_id", "Invalid entity ID. Must be an integer.");
            }

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
