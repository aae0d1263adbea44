using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Common;
using Mem0.Core.Events;
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
            var add = await ParseAddAsync(body, caller, services, ct);
            if (!add.Infer)
            {
                var (memoryEvent, results) = await AddSynchronouslyAsync(add, body, services, ct);
                return EndpointRunner.Json(new AddSucceededDto(
                    "Memories stored successfully", "SUCCEEDED", memoryEvent.Id, results));
            }

            var pending = await QueueAddAsync(add, body, services, ct);
            return EndpointRunner.Json(new AddQueuedDto(pending.Id, "PENDING"));
        });

    /// <summary><c>POST /v3/memories/search/</c>: <c>{"results": [memory + score]}</c>.</summary>
    public static Task<IResult> SearchAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            RequestParsing.RejectTopLevelIds(body);
            var results = await RunSearchAsync(body, RequestParsing.ParseScopedFilters(body.Get("filters")), caller, services, ct);
            return EndpointRunner.Json(new Dictionary<string, object> { ["results"] = results });
        });

    /// <summary><c>POST /v3/memories/</c>: the paginated envelope.</summary>
    public static Task<IResult> ListAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            RequestParsing.RejectTopLevelIds(body);
            var filter = RequestParsing.ParseScopedFilters(body.Get("filters"));
            var page = PageRequest.From(request, body);
            var envelope = await ListPageAsync(request, filter, page, body.GetBool("show_expired") ?? false, caller, services, ct);
            return EndpointRunner.Json(ProjectFields(envelope, FieldsOf(body)));
        });

    /// <summary><c>GET /v1/memories/{memoryId}/</c>.</summary>
    public static Task<IResult> GetAsync(HttpRequest request, string memoryId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var id = RequestParsing.ParseMemoryId(request, memoryId);
            var record = await services.Memories.GetAsync(caller.ProjectId, id, ct);
            return EndpointRunner.Json(MemoryDto.From(record));
        });

    /// <summary><c>PUT /v1/memories/{memoryId}/</c>: returns the updated memory.</summary>
    public static Task<IResult> UpdateAsync(HttpRequest request, string memoryId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var id = RequestParsing.ParseMemoryId(request, memoryId);
            var body = await JsonBody.ReadAsync(request);
            var clearExpiration = body.Has("expiration_date") && !body.HasValue("expiration_date");
            var update = new UpdateMemoryRequest
            {
                Text = RequestParsing.StrictString(body, "text") ?? RequestParsing.StrictString(body, "memory"),
                Metadata = RequestParsing.ParseMetadata(body),
                ExpirationDate = RequestParsing.ParseDate(body, "expiration_date"),
                ClearExpirationDate = clearExpiration,
                Timestamp = RequestParsing.ParseTimestamp(body, "timestamp"),
            };
            if (update.Text is null && update.Metadata is null && update.ExpirationDate is null && !clearExpiration && update.Timestamp is null)
            {
                throw new ValidationException("text", "Give at least one of 'text', 'metadata', 'expiration_date' or 'timestamp'.");
            }

            if (update.Text is { } text && string.IsNullOrWhiteSpace(text))
            {
                throw new ValidationException("text", "'text' must not be empty.");
            }

            if (update.Text is { Length: > RequestLimits.MaxMessageChars })
            {
                throw new ValidationException("text", $"'text' has {update.Text.Length} characters; a memory may have at most {RequestLimits.MaxMessageChars}.");
            }

            var record = await services.Memories.UpdateAsync(caller.ProjectId, id, update, ct);
            return EndpointRunner.Json(MemoryDto.From(record));
        });

    /// <summary><c>DELETE /v1/memories/{memoryId}/</c> (<c>delete_linked</c> accepted; we keep no supersede chains, so it cascades to nothing).</summary>
    public static Task<IResult> DeleteAsync(HttpRequest request, string memoryId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var id = RequestParsing.ParseMemoryId(request, memoryId);
            await services.Memories.DeleteAsync(caller.ProjectId, id, ct);
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
            if (target is { UserId: null, AgentId: null, AppId: null, RunId: null })
            {
                throw new ValidationException("user_id", "At least one of user_id, agent_id, app_id or run_id is required (use '*' for all of a kind).");
            }

            var memoryEvent = await QueueDeleteAsync(caller, services, target, ct);
            return EndpointRunner.Json(new DeleteQueuedDto("Delete in progress. This may take some time.", memoryEvent.Id));
        });

    /// <summary><c>GET /v1/memories/{memoryId}/history/</c>: a bare array, oldest first.</summary>
    public static Task<IResult> HistoryAsync(HttpRequest request, string memoryId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var id = RequestParsing.ParseMemoryId(request, memoryId);
            var history = await services.Memories.GetHistoryAsync(caller.ProjectId, id, ct);
            return EndpointRunner.Json(history.Select(HistoryDto.From).ToList());
        });

    internal static readonly (string Name, FilterFieldKind Kind)[] ScopeQueryFields =
    [
        ("user_id", FilterFieldKind.UserId),
        ("agent_id", FilterFieldKind.AgentId),
        ("app_id", FilterFieldKind.AppId),
        ("run_id", FilterFieldKind.RunId),
    ];

    internal sealed record ParsedAdd(AddMemoriesRequest Request, bool Infer);

    internal static async Task<ParsedAdd> ParseAddAsync(JsonBody body, CallerContext caller, Mem0ApiServices services, CancellationToken ct)
    {
        var messages = RequestParsing.ParseMessages(body);
        var scope = RequestParsing.ParseScope(body, fallbackToFilters: true);
        RequestParsing.RequireScope(scope);
        var project = await services.Projects.GetProjectAsync(caller.ProjectId, ct);
        var request = new AddMemoriesRequest
        {
            ProjectId = caller.ProjectId,
            Messages = messages,
            Scope = scope,
            Metadata = RequestParsing.ParseMetadata(body),
            Infer = RequestParsing.StrictBool(body, "infer") ?? true,
            Immutable = RequestParsing.StrictBool(body, "immutable") ?? false,
            ExpirationDate = RequestParsing.ParseDate(body, "expiration_date"),
            Timestamp = RequestParsing.ParseTimestamp(body, "timestamp"),
            CustomInstructions = body.GetString("custom_instructions")
                ?? (scope.UserId is null && scope.AgentId is not null ? project?.AgentCustomInstructions : null)
                ?? project?.CustomInstructions,
            CustomCategories = RequestParsing.ParseCustomCategories(body.Get("custom_categories")) ?? project?.CustomCategories,
            Includes = body.GetString("includes"),
            Excludes = body.GetString("excludes"),
        };
        return new ParsedAdd(request, request.Infer);
    }

    internal static async Task<(MemoryEvent Event, IReadOnlyList<AddResultDto> Results)> AddSynchronouslyAsync(
        ParsedAdd add, JsonBody body, Mem0ApiServices services, CancellationToken ct)
    {
        var started = services.Now;
        var result = await services.Memories.AddAsync(add.Request, ct);
        var done = services.Now;
        var memoryEvent = new MemoryEvent
        {
            Id = Mem0ApiServices.NewId(),
            ProjectId = add.Request.ProjectId,
            EventType = "ADD",
            Status = EventStatus.Succeeded,
            Payload = body.Root,
            Results = AddResultsJson.ToElement(result.Results, result.Extractor),
            CreatedAt = started,
            UpdatedAt = done,
            StartedAt = started,
            CompletedAt = done,
        };
        await services.Events.CreateAsync(memoryEvent, ct);
        IReadOnlyList<AddResultDto> results =
        [
            .. result.Results
                .Where(r => r.Event != MemoryOperation.None)
                .Select(r => new AddResultDto(r.Id, AddResultsJson.EventName(r.Event), r.Memory, new AddResultDataDto(r.Memory), r.Scope.UserId)),
        ];
        return (memoryEvent, results);
    }

    internal static async Task<MemoryEvent> QueueAddAsync(ParsedAdd add, JsonBody body, Mem0ApiServices services, CancellationToken ct)
    {
        var now = services.Now;
        var memoryEvent = new MemoryEvent
        {
            Id = Mem0ApiServices.NewId(),
            ProjectId = add.Request.ProjectId,
            EventType = "ADD",
            Status = EventStatus.Pending,
            Payload = body.Root,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await services.Events.CreateAsync(memoryEvent, ct);
        await services.Jobs.ScheduleAddAsync(memoryEvent, add.Request, ct);
        return memoryEvent;
    }

    internal static async Task<IReadOnlyList<JsonNode?>> RunSearchAsync(
        JsonBody body, FilterNode filter, CallerContext caller, Mem0ApiServices services, CancellationToken ct)
    {
        var query = body.GetString("query")?.Trim();
        if (string.IsNullOrEmpty(query))
        {
            throw new ValidationException("query", "'query' is required and must not be empty.");
        }

        var topK = body.GetInt("top_k") ?? body.GetInt("limit") ?? 10;
        if (topK is < 1 or > 1000)
        {
            throw new ValidationException("top_k", "'top_k' must be between 1 and 1000.");
        }

        var threshold = body.GetDouble("threshold") ?? 0.1;
        if (threshold is < 0 or > 1)
        {
            throw new ValidationException("threshold", "'threshold' must be between 0 and 1.");
        }

        var hits = await services.Memories.SearchAsync(
            new SearchMemoriesRequest
            {
                ProjectId = caller.ProjectId,
                Query = query,
                Filter = filter,
                TopK = topK,
                Threshold = threshold,
                KeywordSearch = body.GetBool("keyword_search") ?? false,
                ShowExpired = body.GetBool("show_expired") ?? false,
            },
            ct);
        var fields = FieldsOf(body);
        return [.. hits.Select(h => ProjectItem(MemoryDto.From(h.Memory, h.Score), fields))];
    }

    internal static async Task<PageDto<MemoryDto>> ListPageAsync(
        HttpRequest request, FilterNode filter, PageRequest page, bool showExpired, CallerContext caller, Mem0ApiServices services, CancellationToken ct)
    {
        ListMemoriesRequest Query(string? token) => new()
        {
            ProjectId = caller.ProjectId,
            Filter = filter,
            PageSize = page.PageSize,
            ContinuationToken = token,
            ShowExpired = showExpired,
        };

        // A cursor from our own next link jumps straight to the page; a bare page number walks there.
        ListMemoriesResult result;
        if (page.Cursor is not null && page.Page > 1)
        {
            result = await services.Memories.ListAsync(Query(page.Cursor), ct);
        }
        else
        {
            result = await services.Memories.ListAsync(Query(null), ct);
            for (var current = 1; current < page.Page; current++)
            {
                if (result.ContinuationToken is null)
                {
                    throw new MemoryNotFoundException("Invalid page.");
                }

                result = await services.Memories.ListAsync(Query(result.ContinuationToken), ct);
            }
        }

        if (page.Page > 1 && result.Items.Count == 0)
        {
            throw new MemoryNotFoundException("Invalid page.");
        }

        var next = result.ContinuationToken is not null && result.Items.Count > 0
            ? page.Link(request, page.Page + 1, result.ContinuationToken)
            : null;
        var previous = page.Page > 1 ? page.Link(request, page.Page - 1, null) : null;
        return new PageDto<MemoryDto>(result.TotalCount, next, previous, [.. result.Items.Select(r => MemoryDto.From(r))]);
    }

    /// <summary>
    /// Deletes a scope so that the caller's next read no longer sees it, answering with an event id either way: up to
    /// <see cref="MemoryService.SyncDeleteLimit"/> memories are deleted now (the event is recorded SUCCEEDED); a larger
    /// scope gets a PENDING event that carries the target, which reads honour until the job ends it.
    /// </summary>
    internal static async Task<MemoryEvent> QueueDeleteAsync(CallerContext caller, Mem0ApiServices services, DeleteTarget target, CancellationToken ct)
    {
        var filter = JobActivities.ToFilter(target);
        var total = await services.Memories.CountAsync(caller.ProjectId, filter, ct);
        var now = services.Now;
        if (total <= services.Memories.SyncDeleteLimit)
        {
            var deleted = await services.Memories.DeleteAllAsync(caller.ProjectId, filter, ct);
            var done = services.Now;
            var finished = new MemoryEvent
            {
                Id = Mem0ApiServices.NewId(),
                ProjectId = caller.ProjectId,
                EventType = EventPendingDeletes.EventType,
                Status = EventStatus.Succeeded,
                Payload = EventPendingDeletes.Marker(target),
                Progress = new EventProgress(deleted, deleted, 0, []),
                Results = JsonSerializer.SerializeToElement(new[] { new { deleted } }),
                CreatedAt = now,
                UpdatedAt = done,
                StartedAt = now,
                CompletedAt = done,
            };
            await services.Events.CreateAsync(finished, ct);
            return finished;
        }

        var memoryEvent = new MemoryEvent
        {
            Id = Mem0ApiServices.NewId(),
            ProjectId = caller.ProjectId,
            EventType = EventPendingDeletes.EventType,
            Status = EventStatus.Pending,
            Payload = EventPendingDeletes.Marker(target),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await services.Events.CreateAsync(memoryEvent, ct);
        await services.Jobs.ScheduleDeleteAsync(memoryEvent, target, ct);
        return memoryEvent;
    }

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

public sealed record AddResultDto(string Id, string Event, string Memory, AddResultDataDto Data, string? UserId);

public sealed record AddSucceededDto(string Message, string Status, string EventId, IReadOnlyList<AddResultDto> Results);

public sealed record DeleteQueuedDto(string Message, string EventId);
