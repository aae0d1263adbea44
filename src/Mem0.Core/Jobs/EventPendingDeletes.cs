using System.Text.Json;
using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Memories;

namespace Mem0.Core.Jobs;

/// <summary>
/// The pending-delete markers are the delete events themselves: a DELETE event carries its <see cref="DeleteTarget"/> as
/// payload and hides that scope while it is PENDING or RUNNING. The job ending the event (SUCCEEDED or FAILED, by any
/// job backend or by the sweeper) lifts the marker, so nothing has to be cleaned up separately.
/// </summary>
public sealed class EventPendingDeletes(IEventStore events) : IPendingDeletes
{
    public const string EventType = EventTypes.Delete;

    /// <summary>More pending deletes than this in one project is not expected (each hides a scope until its job ends).</summary>
    private const int MaxMarkers = 1000;

    /// <summary>Snake case: the payload is shown to clients on the event, next to the platform's own fields.</summary>
    private static readonly JsonSerializerOptions MarkerJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<IReadOnlyList<FilterNode>> ListAsync(string projectId, CancellationToken cancellationToken = default)
    {
        var unfinished = await events.ListUnfinishedAsync(projectId, EventType, MaxMarkers, cancellationToken);
        var filters = new List<FilterNode>();
        foreach (var memoryEvent in unfinished)
        {
            if (TargetOf(memoryEvent) is { } target)
            {
                filters.Add(JobActivities.ToFilter(target));
            }
        }

        return filters;
    }

    /// <summary>The payload that marks a delete event as hiding <paramref name="target"/> until it ends.</summary>
    public static JsonElement Marker(DeleteTarget target) => JsonSerializer.SerializeToElement(target, MarkerJson);

    private static DeleteTarget? TargetOf(MemoryEvent memoryEvent)
    {
        if (memoryEvent.Payload is not { ValueKind: JsonValueKind.Object } payload)
        {
            return null;
        }

        try
        {
            var target = payload.Deserialize<DeleteTarget>(MarkerJson);
            return target is { UserId: null, AgentId: null, AppId: null, RunId: null, EntityName: null } ? null : target;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
