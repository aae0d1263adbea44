using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Mem0.Core.Mcp;

/// <summary>One message of a conversation to remember.</summary>
public sealed record McpMessage(
    [property: Description("Who said it: 'user', 'assistant' or 'system' (system messages are context, never stored).")] string Role,
    [property: Description("What was said.")] string Content);

/// <summary>
/// The memory tools, a front door beside the HTTP handlers: each parses its arguments, calls one application service
/// method (<see cref="MemoryOperations"/>, <see cref="EventLog"/>), which validates, and maps the result to structured
/// content in the HTTP API's JSON shape plus a short text for clients that only read text. Argument names follow the
/// Mem0 API (snake_case), so the same words work in both.
/// </summary>
[McpServerToolType]
internal sealed class MemoryTools(MemoryOperations memories, EventLog events)
{
    private const string ScopeHelp =
        " Defaults to the connection's scope (X-Mem0-User-Id/-Agent-Id/-App-Id/-Run-Id headers or ?user_id=... on the URL) for ids not given.";

    [McpServerTool(Name = "add_memories", Title = "Remember", Destructive = false, OpenWorld = false)]
    [Description("Remembers facts from text or a conversation for a user, agent, app or run. With infer=true (default) the model extracts and reconciles facts in the background and this returns a PENDING event_id to poll with get_event; with infer=false each non-system message is stored verbatim now and the new memories are returned.")]
    public async Task<CallToolResult> AddMemories(
        RequestContext<CallToolRequestParams> context,
        [Description("Text to remember, taken as one user message. Give this or 'messages'.")] string? text = null,
        [Description("A conversation to remember: a list of {role, content}. Give this or 'text'.")] IReadOnlyList<McpMessage>? messages = null,
        [Description("The user the memories belong to." + ScopeHelp)] string? user_id = null,
        [Description("The agent the memories belong to.")] string? agent_id = null,
        [Description("The app the memories belong to.")] string? app_id = null,
        [Description("The run (session) the memories belong to.")] string? run_id = null,
        [Description("A JSON object stored with every memory this call creates; filterable as metadata.<key>.")] JsonObject? metadata = null,
        [Description("true (default): extract facts with the model, in the background. false: store the messages verbatim, now.")] bool? infer = null,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var conversation = (text, messages) switch
        {
            (not null, not null) => throw new ValidationException("text", "Give 'text' or 'messages', not both."),
            (null, null) => throw new ValidationException("messages", "Give 'text' (a string) or 'messages' (a list of {role, content})."),
            (not null, null) => [new InputMessage("user", text)],
            // The raw argument, read by the same wire rules as the API's 'messages' (roles, content parts, field names).
            _ => WireValues.Messages(context.Params!.Arguments!["messages"], "messages"),
        };
        var scope = who.ScopeWith(user_id, agent_id, app_id, run_id);
        var request = new AddMemoriesRequest
        {
            Messages = conversation,
            Scope = scope,
            Metadata = metadata is null ? null : JsonSerializer.SerializeToElement(metadata),
            Infer = infer ?? true,
        };
        var options = new AddMemoriesOptions { Payload = JsonSerializer.SerializeToElement(context.Params?.Arguments) };
        AddMemoriesOutcome added;
        try
        {
            added = await memories.AddAsync(who.Caller.ProjectId, request, options, cancellationToken);
        }
        catch (ValidationException ex) when (text is not null && ex.Field.StartsWith("messages", StringComparison.Ordinal))
        {
            // The rules name the wire field; this call gave the text as 'text'.
            throw new ValidationException("text", ex.Message.Replace("'messages[0].content'", "'text'", StringComparison.Ordinal).Replace("'messages'", "'text'", StringComparison.Ordinal));
        }

        var outcome = new { event_id = added.Event.Id, status = EventDto.StatusName(added.Event.Status), results = AddResultDto.From(added) };
        var summary = added.Queued
            ? $"Queued for extraction (event {outcome.event_id}, PENDING); poll get_event for the result."
            : $"Stored {outcome.results.Count} memor{(outcome.results.Count == 1 ? "y" : "ies")} (event {outcome.event_id}):"
                + string.Concat(outcome.results.Select(r => $"\n- [{r.Id}] {r.Memory}"));
        return McpToolResults.Ok(summary, outcome);
    }

    [McpServerTool(Name = "search_memories", Title = "Search memories", ReadOnly = true, OpenWorld = false)]
    [Description("Finds the memories most relevant to a question or topic, within a user, agent, app or run, ranked by relevance (semantic, keyword, entity and time signals fused).")]
    public async Task<CallToolResult> SearchMemories(
        RequestContext<CallToolRequestParams> context,
        [Description("What to look for, in natural language.")] string query,
        [Description("Only memories of this user." + ScopeHelp)] string? user_id = null,
        [Description("Only memories of this agent.")] string? agent_id = null,
        [Description("Only memories of this app.")] string? app_id = null,
        [Description("Only memories of this run.")] string? run_id = null,
        [Description("More conditions in the Mem0 filter grammar, e.g. {\"AND\":[{\"categories\":{\"contains\":\"food\"}},{\"created_at\":{\"gte\":\"2026-01-01\"}}]}; ANDed with the ids above.")] JsonObject? filters = null,
        [Description("How many results at most (1-1000, default 10).")] int? top_k = null,
        [Description("Minimum relevance score, 0-1 (default 0.1).")] double? threshold = null,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var filter = McpScopeFilter.Build(who, filters is null ? null : JsonSerializer.SerializeToElement(filters), user_id, agent_id, app_id, run_id);
        var hits = await memories.SearchAsync(
            who.Caller.ProjectId,
            new SearchMemoriesInput { Query = query, Filter = filter, TopK = top_k, Threshold = threshold },
            cancellationToken);
        var results = hits.Select(h => MemoryDto.From(h.Memory, h.Score)).ToList();
        var summary = results.Count == 0
            ? "No matching memories."
            : $"{results.Count} memor{(results.Count == 1 ? "y" : "ies")}, most relevant first:"
                + string.Concat(results.Select(m => $"\n- [{m.Id}] {m.Memory} (score {m.Score?.ToString("0.00", CultureInfo.InvariantCulture)})"));
        return McpToolResults.Ok(summary, new { results });
    }

    [McpServerTool(Name = "list_memories", Title = "List memories", ReadOnly = true, OpenWorld = false)]
    [Description("Lists the memories of a user, agent, app or run, newest first, a page at a time.")]
    public async Task<CallToolResult> ListMemories(
        RequestContext<CallToolRequestParams> context,
        [Description("Memories of this user." + ScopeHelp)] string? user_id = null,
        [Description("Memories of this agent.")] string? agent_id = null,
        [Description("Memories of this app.")] string? app_id = null,
        [Description("Memories of this run.")] string? run_id = null,
        [Description("More conditions in the Mem0 filter grammar (see search_memories); ANDed with the ids above.")] JsonObject? filters = null,
        [Description("Memories per page (1-200, default 50).")] int? page_size = null,
        [Description("The next_cursor of the previous page; omit for the first page.")] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var filter = McpScopeFilter.Build(who, filters is null ? null : JsonSerializer.SerializeToElement(filters), user_id, agent_id, app_id, run_id);
        var start = string.IsNullOrWhiteSpace(cursor) ? null : cursor.Trim();

        // The service jumps straight to a page its cursor names when the page number is past the first.
        var page = await memories.ListAsync(
            who.Caller.ProjectId,
            new ListMemoriesInput { Filter = filter, PageSize = page_size ?? 50, Cursor = start, Page = start is null ? 1 : 2 },
            cancellationToken);
        var results = page.Items.Select(r => MemoryDto.From(r)).ToList();
        var summary = new StringBuilder($"{results.Count} of {page.TotalCount} memories");
        summary.Append(page.NextCursor is null ? ":" : " (more: pass next_cursor as cursor):");
        foreach (var memory in results)
        {
            summary.Append(CultureInfo.InvariantCulture, $"\n- [{memory.Id}] {memory.Memory}");
        }

        return McpToolResults.Ok(summary.ToString(), new { count = page.TotalCount, results, next_cursor = page.NextCursor });
    }

    [McpServerTool(Name = "get_memory", Title = "Get a memory", ReadOnly = true, OpenWorld = false)]
    [Description("Reads one memory by its id.")]
    public async Task<CallToolResult> GetMemory(
        RequestContext<CallToolRequestParams> context,
        [Description("The memory's id (a UUID).")] string memory_id,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var memory = MemoryDto.From(await memories.GetAsync(who.Caller.ProjectId, memory_id, cancellationToken));
        return McpToolResults.Ok($"[{memory.Id}] {memory.Memory}", memory);
    }

    [McpServerTool(Name = "update_memory", Title = "Update a memory", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Changes a memory's text and/or merges keys into its metadata. The old text stays in its history.")]
    public async Task<CallToolResult> UpdateMemory(
        RequestContext<CallToolRequestParams> context,
        [Description("The memory's id (a UUID).")] string memory_id,
        [Description("The new text.")] string? text = null,
        [Description("A JSON object whose keys replace the memory's metadata keys of the same name.")] JsonObject? metadata = null,
        [Description("The date (YYYY-MM-DD) after which the memory is no longer returned; an empty string removes it.")] string? expiration_date = null,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var clearExpiration = expiration_date is { Length: 0 };
        var update = new UpdateMemoryRequest
        {
            Text = text,
            Metadata = metadata is null ? null : JsonSerializer.SerializeToElement(metadata),
            ExpirationDate = expiration_date is { Length: > 0 } date ? WireValues.Date(JsonSerializer.SerializeToElement(date), "expiration_date") : null,
            ClearExpirationDate = clearExpiration,
        };
        var memory = MemoryDto.From(await memories.UpdateAsync(who.Caller.ProjectId, memory_id, update, cancellationToken));
        return McpToolResults.Ok($"Updated [{memory.Id}] {memory.Memory}", memory);
    }

    [McpServerTool(Name = "delete_memory", Title = "Delete a memory", Destructive = true, Idempotent = false, OpenWorld = false)]
    [Description("Deletes one memory by its id.")]
    public async Task<CallToolResult> DeleteMemory(
        RequestContext<CallToolRequestParams> context,
        [Description("The memory's id (a UUID).")] string memory_id,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var id = memory_id.Trim();
        await memories.DeleteAsync(who.Caller.ProjectId, id, cancellationToken);
        return McpToolResults.Ok($"Deleted memory {id}.", new { message = "Memory deleted successfully!", memory_id = id });
    }

    [McpServerTool(Name = "delete_all_memories", Title = "Delete all memories of a scope", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Deletes every memory of a user, agent, app or run (ids combine: all must match). '*' as an id means every entity of that kind. Small scopes are deleted at once; large ones return a PENDING event_id to poll with get_event.")]
    public async Task<CallToolResult> DeleteAllMemories(
        RequestContext<CallToolRequestParams> context,
        [Description("Delete this user's memories." + ScopeHelp)] string? user_id = null,
        [Description("Delete this agent's memories.")] string? agent_id = null,
        [Description("Delete this app's memories.")] string? app_id = null,
        [Description("Delete this run's memories.")] string? run_id = null,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var scope = who.ScopeWith(user_id, agent_id, app_id, run_id);
        var deletion = await memories.DeleteAllAsync(
            who.Caller.ProjectId, new DeleteTarget(scope.UserId, scope.AgentId, scope.AppId, scope.RunId), cancellationToken);
        var (eventId, status) = (deletion.Id, EventDto.StatusName(deletion.Status));
        var summary = status == "SUCCEEDED"
            ? $"Deleted the memories of {Describe(scope)} (event {eventId})."
            : $"Deleting the memories of {Describe(scope)} in the background (event {eventId}, {status}); poll get_event.";
        return McpToolResults.Ok(summary, new { event_id = eventId, status });
    }

    [McpServerTool(Name = "get_memory_history", Title = "Memory history", ReadOnly = true, OpenWorld = false)]
    [Description("The changes to one memory, oldest first: ADD, UPDATE (old and new text) and DELETE.")]
    public async Task<CallToolResult> GetMemoryHistory(
        RequestContext<CallToolRequestParams> context,
        [Description("The memory's id (a UUID).")] string memory_id,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var history = (await memories.GetHistoryAsync(who.Caller.ProjectId, memory_id, cancellationToken)).Select(HistoryDto.From).ToList();
        var summary = history.Count == 0
            ? "No history for this memory."
            : $"{history.Count} change{(history.Count == 1 ? "" : "s")}:"
                + string.Concat(history.Select(h => $"\n- {h.Event} at {h.CreatedAt}: {h.OldMemory ?? "(none)"} -> {h.NewMemory ?? "(none)"}"));
        return McpToolResults.Ok(summary, new { results = history });
    }

    [McpServerTool(Name = "list_entities", Title = "List users, agents, apps and runs", ReadOnly = true, OpenWorld = false)]
    [Description("Lists the users, agents, apps and runs that have memories in this project, with how many each has.")]
    public async Task<CallToolResult> ListEntities(
        RequestContext<CallToolRequestParams> context,
        [Description("Only this kind: 'user', 'agent', 'app' or 'run'.")] string? type = null,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        EntityType? kind = type is null ? null : EntityKind(type);
        var entities = (await memories.ListEntitiesAsync(who.Caller.ProjectId, kind, cancellationToken)).Select(e => EntityDto.From(e, owner: null)).ToList();
        var summary = entities.Count == 0
            ? "No entities have memories yet."
            : $"{entities.Count} entit{(entities.Count == 1 ? "y" : "ies")}:"
                + string.Concat(entities.Select(e => $"\n- {e.Type} {e.Name}: {e.TotalMemories} memories"));
        return McpToolResults.Ok(summary, new { count = entities.Count, results = entities });
    }

    [McpServerTool(Name = "get_event", Title = "Event status", ReadOnly = true, OpenWorld = false)]
    [Description("The status of an asynchronous add or delete (PENDING, RUNNING, SUCCEEDED or FAILED) and, when it has finished, its results.")]
    public async Task<CallToolResult> GetEvent(
        RequestContext<CallToolRequestParams> context,
        [Description("The event_id that add_memories or delete_all_memories returned.")] string event_id,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var memoryEvent = EventDto.From(await events.GetAsync(who.Caller.ProjectId, event_id, cancellationToken));
        var summary = $"Event {memoryEvent.Id} ({memoryEvent.EventType}): {memoryEvent.Status}"
            + (memoryEvent.Error is null ? "" : $" - {memoryEvent.Error}");
        return McpToolResults.Ok(summary, memoryEvent);
    }

    private static EntityType EntityKind(string value) => value.Trim().ToLowerInvariant() switch
    {
        "user" or "users" => EntityType.User,
        "agent" or "agents" => EntityType.Agent,
        "app" or "apps" => EntityType.App,
        "run" or "runs" => EntityType.Run,
        _ => throw new ValidationException("type", "'type' must be 'user', 'agent', 'app' or 'run'."),
    };

    private static string Describe(MemoryScope scope) => string.Join(", ", new[]
    {
        scope.UserId is null ? null : $"user {scope.UserId}",
        scope.AgentId is null ? null : $"agent {scope.AgentId}",
        scope.AppId is null ? null : $"app {scope.AppId}",
        scope.RunId is null ? null : $"run {scope.RunId}",
    }.Where(s => s is not null));
}
