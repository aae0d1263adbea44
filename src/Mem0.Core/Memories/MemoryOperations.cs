using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Projects;

namespace Mem0.Core.Memories;

/// <summary>
/// The memory use cases every front door calls (the HTTP handlers, the MCP tools, the dashboard through the API): each
/// method validates its input once, records and schedules events through <see cref="EventLifecycle"/>, and calls the
/// engine (<see cref="MemoryService"/>). Inputs are typed records; the caller's project is always an explicit argument.
/// </summary>
public sealed class MemoryOperations(
    MemoryService memories,
    EventLifecycle lifecycle,
    IJobScheduler jobs,
    IProjectStore projects,
    TimeProvider timeProvider)
{
    private const string FeedbackValues = "POSITIVE, NEGATIVE, VERY_NEGATIVE";
    private static readonly string[] AllowedFeedback = ["POSITIVE", "NEGATIVE", "VERY_NEGATIVE"];

    /// <summary>
    /// Adds a conversation for the caller's project. Inferring adds are queued (a PENDING <c>ADD</c> event the job ends)
    /// unless <see cref="AddMemoriesOptions.Background"/> is false; verbatim adds (<c>Infer = false</c>) are stored now and
    /// recorded SUCCEEDED. <see cref="AddMemoriesRequest.ProjectId"/> is set from <paramref name="projectId"/>.
    /// </summary>
    public async Task<AddMemoriesOutcome> AddAsync(
        string projectId, AddMemoriesRequest request, AddMemoriesOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request = request with { ProjectId = projectId };
        options ??= new AddMemoriesOptions();
        if (request.Infer && options.Background)
        {
            // Checked before queueing; an add run now is checked by the engine itself.
            MemoryRules.CheckAdd(request);
            var pending = await lifecycle.CreatePendingAsync(projectId, EventTypes.Add, options.Payload, cancellationToken: cancellationToken);
            await jobs.ScheduleAddAsync(pending, request, cancellationToken);
            return new AddMemoriesOutcome(pending, []);
        }

        var started = timeProvider.GetUtcNow();
        var result = await memories.AddAsync(request, cancellationToken);
        var recorded = await lifecycle.RecordSucceededAsync(
            projectId, EventTypes.Add, started, options.Payload, AddResultsJson.ToElement(result.Results, result.Extractor), cancellationToken: cancellationToken);
        return new AddMemoriesOutcome(recorded, result.Results);
    }

    /// <summary>Semantic (optionally hybrid) search within a scoped filter; hits are thresholded on the semantic score.</summary>
    public Task<IReadOnlyList<ScoredMemory>> SearchAsync(string projectId, SearchMemoriesInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return memories.SearchAsync(
            new SearchMemoriesRequest
            {
                ProjectId = projectId,
                Query = input.Query?.Trim() ?? string.Empty,
                Filter = MemoryRules.ScopedFilter(input.Filter, input.Filters),
                TopK = input.TopK ?? 10,
                Threshold = input.Threshold ?? 0.1,
                KeywordSearch = input.KeywordSearch,
                ShowExpired = input.ShowExpired,
            },
            cancellationToken);
    }

    /// <summary>One page of the memories matching a scoped filter, newest first; a page past the end is a 404 "Invalid page.".</summary>
    public async Task<MemoryListPage> ListAsync(string projectId, ListMemoriesInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        Paging.Validate(input.Page, input.PageSize);
        var filter = MemoryRules.ScopedFilter(input.Filter, input.Filters);
        ListMemoriesRequest Query(string? token) => new()
        {
            ProjectId = projectId,
            Filter = filter,
            PageSize = input.PageSize,
            ContinuationToken = token,
            ShowExpired = input.ShowExpired,
        };

        // A cursor from our own next link jumps straight to the page; a bare page number walks there.
        ListMemoriesResult result;
        if (input.Cursor is not null && input.Page > 1)
        {
            result = await memories.ListAsync(Query(input.Cursor), cancellationToken);
        }
        else
        {
            result = await memories.ListAsync(Query(null), cancellationToken);
            for (var current = 1; current < input.Page; current++)
            {
                result = result.ContinuationToken is null
                    ? throw Paging.InvalidPage()
                    : await memories.ListAsync(Query(result.ContinuationToken), cancellationToken);
            }
        }

        if (input.Page > 1 && result.Items.Count == 0)
        {
            throw Paging.InvalidPage();
        }

        var next = result.ContinuationToken is not null && result.Items.Count > 0 ? result.ContinuationToken : null;
        return new MemoryListPage(result.Items, result.TotalCount, input.Page, input.PageSize, next);
    }

    /// <summary>Every memory matching a scoped filter, up to <paramref name="max"/> (the legacy unpaginated lists).</summary>
    public async Task<IReadOnlyList<MemoryRecord>> ListAllAsync(
        string projectId, FilterNode? filter, JsonElement? filters, bool showExpired, int max, CancellationToken cancellationToken = default)
    {
        var scoped = MemoryRules.ScopedFilter(filter, filters);
        var all = new List<MemoryRecord>();
        string? token = null;
        do
        {
            var page = await memories.ListAsync(
                new ListMemoriesRequest { ProjectId = projectId, Filter = scoped, PageSize = Paging.MaxPageSize, ContinuationToken = token, ShowExpired = showExpired },
                cancellationToken);
            all.AddRange(page.Items);
            token = page.Items.Count > 0 ? page.ContinuationToken : null;
        }
        while (token is not null && all.Count < max);

        return all.Count > max ? all.Take(max).ToList() : all;
    }

    /// <summary>One memory; 404 when absent or hidden by a pending scope delete.</summary>
    public Task<MemoryRecord> GetAsync(string projectId, string memoryId, CancellationToken cancellationToken = default) =>
        memories.GetAsync(projectId, MemoryRules.CheckMemoryId(memoryId), cancellationToken);

    /// <summary>Edits text, metadata, expiration or updated_at (at least one); appends history UPDATE.</summary>
    public Task<MemoryRecord> UpdateAsync(string projectId, string memoryId, UpdateMemoryRequest update, CancellationToken cancellationToken = default) =>
        memories.UpdateAsync(projectId, MemoryRules.CheckMemoryId(memoryId), update, cancellationToken);

    /// <summary>Deletes one memory; appends history DELETE.</summary>
    public Task DeleteAsync(string projectId, string memoryId, CancellationToken cancellationToken = default) =>
        memories.DeleteAsync(projectId, MemoryRules.CheckMemoryId(memoryId), cancellationToken);

    /// <summary>The memory's history, oldest first.</summary>
    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string projectId, string memoryId, CancellationToken cancellationToken = default) =>
        memories.GetHistoryAsync(projectId, MemoryRules.CheckMemoryId(memoryId), cancellationToken);

    /// <summary>
    /// Deletes every memory of a scope (ids ANDed; <c>*</c> = any value of that id) or of an entity, so that the caller's
    /// next read no longer sees them. Up to <see cref="MemoryService.SyncDeleteLimit"/> memories are deleted now (a
    /// SUCCEEDED <c>DELETE</c> event); a larger scope gets a PENDING event carrying the target, which reads honour until the job ends it.
    /// </summary>
    public async Task<MemoryEvent> DeleteAllAsync(string projectId, DeleteTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target is { UserId: null, AgentId: null, AppId: null, RunId: null, EntityType: null })
        {
            throw new ValidationException("user_id", "At least one of user_id, agent_id, app_id or run_id is required (use '*' for all of a kind).");
        }

        var filter = JobActivities.ToFilter(target);
        var marker = EventPendingDeletes.Marker(target);
        var total = await memories.CountAsync(projectId, filter, cancellationToken);
        if (total <= memories.SyncDeleteLimit)
        {
            var started = timeProvider.GetUtcNow();
            var deleted = await memories.DeleteAllAsync(projectId, filter, cancellationToken);
            return await lifecycle.RecordSucceededAsync(
                projectId,
                EventTypes.Delete,
                started,
                marker,
                JobActivities.DeletedResults(deleted),
                new EventProgress(deleted, deleted, 0, []),
                cancellationToken: cancellationToken);
        }

        var pending = await lifecycle.CreatePendingAsync(projectId, EventTypes.Delete, marker, cancellationToken: cancellationToken);
        await jobs.ScheduleDeleteAsync(pending, target, cancellationToken);
        return pending;
    }

    /// <summary>The users, agents, apps and runs that own memories; <paramref name="type"/> keeps one kind.</summary>
    public async Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(string projectId, EntityType? type = null, CancellationToken cancellationToken = default)
    {
        var entities = await memories.ListEntitiesAsync(projectId, cancellationToken);
        return type is { } only ? [.. entities.Where(e => e.Type == only)] : entities;
    }

    /// <summary>One page of <see cref="ListEntitiesAsync"/> with per-kind totals; a page past the end is a 404.</summary>
    public async Task<EntityPage> ListEntitiesPageAsync(
        string projectId, EntityType? type, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        Paging.Validate(page, pageSize);
        var entities = await ListEntitiesAsync(projectId, type, cancellationToken);
        var slice = entities.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        if (page > 1 && slice.Count == 0)
        {
            throw Paging.InvalidPage();
        }

        var project = await projects.GetProjectAsync(projectId, cancellationToken);
        return new EntityPage(
            slice,
            entities.Count,
            page * pageSize < entities.Count,
            entities.Count(e => e.Type == EntityType.User),
            entities.Count(e => e.Type == EntityType.Agent),
            entities.Count(e => e.Type == EntityType.App),
            entities.Count(e => e.Type == EntityType.Run),
            project?.OwnerEmail);
    }

    /// <summary>Deletes every memory of one entity, as <see cref="DeleteAllAsync"/> does (an event either way).</summary>
    public Task<MemoryEvent> DeleteEntityAsync(string projectId, EntityType type, string name, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ValidationException("entity_name", "The entity name must not be empty.");
        }

        return DeleteAllAsync(projectId, new DeleteTarget(EntityType: type.ToString(), EntityName: name), cancellationToken);
    }

    /// <summary>
    /// The deprecated delete by the numeric id <see cref="ListEntitiesAsync"/> lists (an id no entity has is taken as a
    /// numeric name); deletes now and returns how many.
    /// </summary>
    public Task<int> DeleteEntityByIdAsync(string projectId, EntityType type, string numericId, CancellationToken cancellationToken = default)
    {
        if (!long.TryParse(numericId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new ValidationException("entity_id", "Invalid entity ID. Must be an integer.");
        }

        return memories.DeleteEntityByIdAsync(projectId, type, numericId, cancellationToken);
    }

    /// <summary>Up to 1,000 updates of memories named by UUID, all validated and loaded before any is written.</summary>
    public Task<int> BatchUpdateAsync(string projectId, IReadOnlyList<BatchUpdateItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var checkedItems = items.Select((item, index) => item with { MemoryId = MemoryRules.CheckBatchMemoryId(item.MemoryId, index) }).ToList();
        return memories.BatchUpdateAsync(projectId, checkedItems, cancellationToken);
    }

    /// <summary>Up to 1,000 deletions of memories named by UUID, all loaded before any is written.</summary>
    public Task<int> BatchDeleteAsync(string projectId, IReadOnlyList<string> memoryIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memoryIds);
        var checkedIds = memoryIds.Select(MemoryRules.CheckBatchMemoryId).ToList();
        return memories.BatchDeleteAsync(projectId, checkedIds, cancellationToken);
    }

    /// <summary>
    /// Keeps feedback on a memory of the caller's project (404 otherwise) as a SUCCEEDED <c>FEEDBACK</c> event, so it is
    /// never silently dropped. Feedback does not change ranking yet.
    /// </summary>
    public async Task<FeedbackRecord> RecordFeedbackAsync(string projectId, FeedbackInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var memoryId = string.IsNullOrEmpty(input.MemoryId) ? throw new ValidationException("memory_id", "'memory_id' is required.") : input.MemoryId;
        var feedback = input.Feedback?.Trim().ToUpperInvariant();
        if (feedback is not null && !AllowedFeedback.Contains(feedback, StringComparer.Ordinal))
        {
            throw new ValidationException("feedback", $"'feedback' must be {FeedbackValues} or null.");
        }

        await memories.GetAsync(projectId, memoryId, cancellationToken);
        var id = EventLifecycle.NewId();
        var record = new FeedbackRecord(id, memoryId, feedback, input.FeedbackReason);
        var results = JsonSerializer.SerializeToElement(
            new[] { new FeedbackResultDto(memoryId, EventTypes.Feedback, feedback, input.FeedbackReason) }, Mem0Json.Options);
        await lifecycle.RecordSucceededAsync(
            projectId, EventTypes.Feedback, timeProvider.GetUtcNow(), input.Payload, results, id: id, cancellationToken: cancellationToken);
        return record;
    }
}
