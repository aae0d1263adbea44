using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Filters;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>The memory endpoints of the v3 API and the v1 single-memory paths (contract §3.1–§3.8).</summary>
public static class MemoryEndpoints
{
    /// <summary><c>POST /v3/memories/add/</c>: <c>{"event_id","status":"PENDING"}</c>, or the SUCCEEDED shape for <c>infer:false</c>.</summary>
    public static Task<IResult> AddAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.AddStyle, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var outcome = await services.Memories.AddAsync(caller.ProjectId, body.Bind<AddRequestBody>().ToRequest(), new AddMemoriesOptions { Payload = body.Root }, ct);
            return outcome.Queued
                ? EndpointRunner.Json(new AddQueuedDto(outcome.Event.Id, "PENDING"))
                : EndpointRunner.Json(new AddSucceededDto("Memories stored successfully", "SUCCEEDED", outcome.Event.Id, AddResultDto.From(outcome)));
        });

    /// <summary><c>POST /v3/memories/search/</c>: <c>{"results": [memory + score]}</c>.</summary>
    public static Task<IResult> SearchAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            RequestParsing.RejectTopLevelIds(body);
            var hits = await services.Memories.SearchAsync(caller.ProjectId, body.Bind<SearchRequestBody>().ToInput(), ct);
            return EndpointRunner.Json(new Dictionary<string, object> { ["results"] = ProjectHits(hits, FieldsOf(body)) });
        });

    /// <summary><c>POST /v3/memories/</c>: the paginated envelope.</summary>
    public static Task<IResult> ListAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            RequestParsing.RejectTopLevelIds(body);
            var envelope = await ListPageAsync(request, body.Bind<ListRequestBody>(), filter: null, caller, services, ct);
            return EndpointRunner.Json(ProjectFields(envelope, FieldsOf(body)));
        });

    /// <summary><c>GET /v1/memories/{memoryId}/</c>.</summary>
    public static Task<IResult> GetAsync(HttpRequest request, string memoryId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var record = await services.Memories.GetAsync(caller.ProjectId, PathMemoryId(request, memoryId), ct);
            return EndpointRunner.Json(MemoryDto.From(record));
        });

    /// <summary><c>PUT /v1/memories/{memoryId}/</c>: returns the updated memory.</summary>
    public static Task<IResult> UpdateAsync(HttpRequest request, string memoryId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var id = PathMemoryId(request, memoryId);
            var body = await JsonBody.ReadAsync(request);
            var clearExpiration = body.Has("expiration_date") && !body.HasValue("expiration_date");
            var record = await services.Memories.UpdateAsync(caller.ProjectId, id, body.Bind<UpdateRequestBody>().ToRequest(clearExpiration), ct);
            return EndpointRunner.Json(MemoryDto.From(record));
        });

    /// <summary><c>DELETE /v1/memories/{memoryId}/</c> (<c>delete_linked</c> accepted; we keep no supersede chains, so it cascades to nothing).</summary>
    public static Task<IResult> DeleteAsync(HttpRequest request, string memoryId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            await services.Memories.DeleteAsync(caller.ProjectId, PathMemoryId(request, memoryId), ct);
            var body = new Dictionary<string, object> { ["message"] = "Memory deleted successfully!" };
            if (RequestParsing.QueryFlag(request, "delete_linked"))
            {
                body["cascade_count"] = 0;
            }

            return EndpointRunner.Json(body);
        });

    /// <summary><c>DELETE /v1/memories/?user_id=&amp;agent_id=&amp;app_id=&amp;run_id=</c> (<c>*</c> = every entity of that kind).</summary>
    public static Task<IResult> DeleteAllAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var target = new DeleteTarget(
                RequestParsing.Query(request, "user_id"),
                RequestParsing.Query(request, "agent_id"),
                RequestParsing.Query(request, "app_id"),
                RequestParsing.Query(request, "run_id"));
            var memoryEvent = await services.Memories.DeleteAllAsync(caller.ProjectId, target, ct);
            return EndpointRunner.Json(new DeleteQueuedDto("Delete in progress. This may take some time.", memoryEvent.Id));
        });

    /// <summary><c>GET /v1/memories/{memoryId}/history/</c>: a bare array, oldest first.</summary>
    public static Task<IResult> HistoryAsync(HttpRequest request, string memoryId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var history = await services.Memories.GetHistoryAsync(caller.ProjectId, PathMemoryId(request, memoryId), ct);
            return EndpointRunner.Json(history.Select(HistoryDto.From).ToList());
        });

    internal static readonly (string Name, FilterFieldKind Kind)[] ScopeQueryFields =
    [
        ("user_id", FilterFieldKind.UserId),
        ("agent_id", FilterFieldKind.AgentId),
        ("app_id", FilterFieldKind.AppId),
        ("run_id", FilterFieldKind.RunId),
    ];

    private static string PathMemoryId(HttpRequest request, string routeValue) =>
        RequestParsing.DecodeSegment(request, routeValue, "memory_id");

    /// <summary>
    /// One page in the wire envelope, with <c>next</c>/<c>previous</c> links; <paramref name="filter"/> null means the
    /// body's <c>filters</c>.
    /// </summary>
    internal static async Task<PageDto<MemoryDto>> ListPageAsync(
        HttpRequest request, ListRequestBody body, FilterNode? filter, CallerContext caller, Mem0ApiServices services, CancellationToken ct)
    {
        var page = PageRequest.From(request, body.Page, body.PageSize);
        var result = await services.Memories.ListAsync(
            caller.ProjectId,
            new ListMemoriesInput
            {
                Filter = filter,
                Filters = filter is null ? body.Filters : null,
                Page = page.Page,
                PageSize = page.PageSize,
                Cursor = page.Cursor,
                ShowExpired = body.ShowExpired ?? false,
            },
            ct);
        var next = result.HasNext ? page.Link(request, page.Page + 1, result.NextCursor) : null;
        var previous = page.Page > 1 ? page.Link(request, page.Page - 1, null) : null;
        return new PageDto<MemoryDto>(result.TotalCount, next, previous, [.. result.Items.Select(r => MemoryDto.From(r))]);
    }

    internal static IReadOnlyList<JsonNode?> ProjectHits(IReadOnlyList<ScoredMemory> hits, IReadOnlyList<string>? fields) =>
        [.. hits.Select(h => ProjectItem(MemoryDto.From(h.Memory, h.Score), fields))];

    internal static IReadOnlyList<string>? FieldsOf(JsonBody body)
    {
        if (body.Get("fields") is not { ValueKind: JsonValueKind.Array } fields)
        {
            return null;
        }

        var names = fields.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!).ToList();
        return names.Count == 0 ? null : names;
    }

    /// <summary>Restricts a memory to the requested <c>fields</c> (id is always kept).</summary>
    internal static JsonNode? ProjectItem(MemoryDto memory, IReadOnlyList<string>? fields)
    {
        var node = JsonSerializer.SerializeToNode(memory, Mem0Json.Options);
        if (fields is null || node is not JsonObject obj)
        {
            return node;
        }

        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (key != "id" && !fields.Contains(key, StringComparer.Ordinal))
            {
                obj.Remove(key);
            }
        }

        return obj;
    }

    private static object ProjectFields(PageDto<MemoryDto> page, IReadOnlyList<string>? fields) =>
        fields is null ? page : new PageDto<JsonNode?>(page.Count, page.Next, page.Previous, [.. page.Results.Select(m => ProjectItem(m, fields))]);
}

public sealed record AddQueuedDto(string EventId, string Status);

public sealed record AddResultDataDto(string Memory);

public sealed record AddResultDto(string Id, string Event, string Memory, AddResultDataDto Data, string? UserId)
{
    /// <summary>The memories an add changed (unchanged ones are left out, as the platform does).</summary>
    public static IReadOnlyList<AddResultDto> From(AddMemoriesOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return
        [
            .. outcome.Results
                .Where(r => r.Event != MemoryOperation.None)
                .Select(r => new AddResultDto(r.Id, AddResultsJson.EventName(r.Event), r.Memory, new AddResultDataDto(r.Memory), r.Scope.UserId)),
        ];
    }
}

public sealed record AddSucceededDto(string Message, string Status, string EventId, IReadOnlyList<AddResultDto> Results);

public sealed record DeleteQueuedDto(string Message, string EventId);
