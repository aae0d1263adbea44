using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;

namespace Mem0.Core.Mcp;

/// <summary>The outcome of an add: SUCCEEDED with results (infer=false) or PENDING with an event to poll.</summary>
public sealed record McpAddOutcome(string EventId, string Status, IReadOnlyList<AddResultDto> Results);

/// <summary>A page of memories and the cursor of the next one (null on the last page).</summary>
public sealed record McpMemoryPage(int Count, IReadOnlyList<MemoryDto> Results, string? NextCursor);

/// <summary>
/// The use cases the MCP tools run, each one call for the tools: the seam between the tools (argument handling and
/// result shapes) and the application layer that HTTP handlers call too.
/// </summary>
public sealed class McpMemoryOperations(Mem0ApiServices services)
{
    /// <summary>Adds a conversation for a scope: verbatim now (infer=false) or queued for inference.</summary>
    public async Task<McpAddOutcome> AddAsync(CallerContext caller, JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(body);
        var parsed = JsonBody.FromElement(JsonSerializer.SerializeToElement(body));
        var add = await MemoryEndpoints.ParseAddAsync(parsed, caller, services, cancellationToken);
        if (!add.Infer)
        {
            var (memoryEvent, results) = await MemoryEndpoints.AddSynchronouslyAsync(add, parsed, services, cancellationToken);
            return new McpAddOutcome(memoryEvent.Id, "SUCCEEDED", results);
        }

        var pending = await MemoryEndpoints.QueueAddAsync(add, parsed, services, cancellationToken);
        return new McpAddOutcome(pending.Id, "PENDING", []);
    }

    /// <summary>Ranked memories for a query within a (positively scoped) filter.</summary>
    public async Task<IReadOnlyList<MemoryDto>> SearchAsync(
        CallerContext caller, string query, FilterNode filter, int topK, double threshold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var hits = await services.Memories.SearchAsync(
            new SearchMemoriesRequest
            {
                ProjectId = caller.ProjectId,
                Query = query,
                Filter = filter,
                TopK = topK,
                Threshold = threshold,
            },
            cancellationToken);
        return [.. hits.Select(h => MemoryDto.From(h.Memory, h.Score))];
    }

    public async Task<McpMemoryPage> ListAsync(
        CallerContext caller, FilterNode filter, int pageSize, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var page = await services.Memories.ListAsync(
            new ListMemoriesRequest { ProjectId = caller.ProjectId, Filter = filter, PageSize = pageSize, ContinuationToken = cursor },
            cancellationToken);
        var next = page.Items.Count > 0 ? page.ContinuationToken : null;
        return new McpMemoryPage(page.TotalCount, [.. page.Items.Select(r => MemoryDto.From(r))], next);
    }

    public async Task<MemoryDto> GetAsync(CallerContext caller, string memoryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return MemoryDto.From(await services.Memories.GetAsync(caller.ProjectId, memoryId, cancellationToken));
    }

    public async Task<MemoryDto> UpdateAsync(
        CallerContext caller, string memoryId, string? text, JsonElement? metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (text is null && metadata is null)
        {
            throw new ValidationException("text", "Give 'text', 'metadata' or both.");
        }

        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            throw new ValidationException("text", "'text' must not be empty.");
        }

        if (text is { Length: > RequestLimits.MaxMessageChars })
        {
            throw new ValidationException("text", $"'text' has {text.Length} characters; a memory may have at most {RequestLimits.MaxMessageChars}.");
        }

        var record = await services.Memories.UpdateAsync(
            caller.ProjectId, memoryId, new UpdateMemoryRequest { Text = text, Metadata = metadata }, cancellationToken);
        return MemoryDto.From(record);
    }

    public Task DeleteAsync(CallerContext caller, string memoryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return services.Memories.DeleteAsync(caller.ProjectId, memoryId, cancellationToken);
    }

    /// <summary>Deletes every memory of a scope; small scopes now (SUCCEEDED), large ones as a job (PENDING).</summary>
    public async Task<(string EventId, string Status)> DeleteAllAsync(CallerContext caller, MemoryScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(scope);
        var memoryEvent = await MemoryEndpoints.QueueDeleteAsync(
            caller, services, new DeleteTarget(scope.UserId, scope.AgentId, scope.AppId, scope.RunId), cancellationToken);
        return (memoryEvent.Id, EventDto.StatusName(memoryEvent.Status));
    }

    public async Task<IReadOnlyList<HistoryDto>> HistoryAsync(CallerContext caller, string memoryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var history = await services.Memories.GetHistoryAsync(caller.ProjectId, memoryId, cancellationToken);
        return [.. history.Select(HistoryDto.From)];
    }

    public async Task<IReadOnlyList<EntityDto>> ListEntitiesAsync(CallerContext caller, EntityType? type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var entities = await services.Memories.ListEntitiesAsync(caller.ProjectId, cancellationToken);
        var project = await services.Projects.GetProjectAsync(caller.ProjectId, cancellationToken);
        return [.. entities.Where(e => type is null || e.Type == type).Select(e => EntityDto.From(e, project?.OwnerEmail))];
    }

    public async Task<EventDto> GetEventAsync(CallerContext caller, string eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var memoryEvent = await services.Events.GetAsync(caller.ProjectId, eventId, cancellationToken)
            ?? throw new MemoryNotFoundException("Event not found or you don't have permission to access it.");
        return EventDto.From(memoryEvent);
    }
}
