using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Http;
using Mem0.Core.Memories;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Mem0.Core.Mcp;

/// <summary>One message of a conversation to remember.</summary>
public sealed record McpMessage(
    [property: Description("Who said it: 'user', 'assistant' or 'system' (system messages are context, never stored).")] string Role,
    [property: Description("What was said.")] string Content);

/// <summary>
/// The memory tools. Each parses its arguments, calls one use case on <see cref="McpMemoryOperations"/> and returns the
/// result as structured content (the HTTP API's JSON shape) plus a short text for clients that only read text.
/// Argument names follow the Mem0 API (snake_case), so the same words work in both.
/// </summary>
[McpServerToolType]
internal sealed class MemoryTools(McpMemoryOperations operations)
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
        var body = new JsonObject();
        switch (text, messages)
        {
            case (not null, not null):
                throw new ValidationException("text", "Give 'text' or 'messages', not both.");
            case (null, null):
                throw new ValidationException("messages", "Give 'text' (a string) or 'messages' (a list of {role, content}).");
            case (not null, null):
                body["messages"] = text;
                break;
            default:
                body["messages"] = JsonSerializer.SerializeToNode(messages!.Select(m => new { role = m.Role, content = m.Content }));
                break;
        }

        AddScope(body, who.ScopeWith(user_id, agent_id, app_id, run_id));
        if (metadata is not null)
        {
            body["metadata"] = metadata.DeepClone();
        }

        body["infer"] = infer ?? true;
        McpAddOutcome outcome;
        try
        {
            outcome = await operations.AddAsync(who.Caller, body, cancellationToken);
        }
        catch (ValidationException ex) when (text is not null && ex.Field.StartsWith("messages", StringComparison.Ordinal))
        {
            throw new ValidationException("text", ex.Message.Replace("'messages'", "'text'", StringComparison.Ordinal));
        }

        var summary = outcome.Status == "PENDING"
            ? $"Queued for extraction (event {outcome.EventId}, PENDING); poll get_event for the result."
            : $"Stored {outcome.Results.Count} memor{(outcome.Results.Count == 1 ? "y" : "ies")} (event {outcome.EventId}):"
                + string.Concat(outcome.Results.Select(r => $"\n- [{r.Id}] {r.Memory}"));
        return McpToolResults.Ok(summary, new { event_id = outcome.EventId, status = outcome.Status, results = outcome.Results });
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
        var results = await operations.SearchAsync(who.Caller, query, filter, top_k ?? 10, threshold ?? 0.1, cancellationToken);
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
        var size = page_size ?? 50;
        if (size is < 1 or > PageRequest.MaxPageSize)
        {
            throw new ValidationException("page_size", $"'page_size' must be between 1 and {PageRequest.MaxPageSize}.");
        }

        var filter = McpScopeFilter.Build(who, filters is null ? null : JsonSerializer.SerializeToElement(filters), user_id, agent_id, app_id, run_id);
        var page = await operations.ListAsync(who.Caller, filter, size, string.IsNullOrWhiteSpace(cursor) ? null : cursor, cancellationToken);
        var summary = new StringBuilder($"{page.Results.Count} of {page.Count} memories");
        summary.Append(page.NextCursor is null ? ":" : " (more: pass next_cursor as cursor):");
        foreach (var memory in page.Results)
        {
            summary.Append(CultureInfo.InvariantCulture, $"\n- [{memory.Id}] {memory.Memory}");
        }

        return McpToolResults.Ok(summary.ToString(), new { count = page.Count, results = page.Results, next_cursor = page.NextCursor });
    }

    [McpServerTool(Name = "get_memory", Title = "Get a memory", ReadOnly = true, OpenWorld = false)]
    [Description("Reads one memory by its id.")]
    public async Task<CallToolResult> GetMemory(
        RequestContext<CallToolRequestParams> context,
        [Description("The memory's id (a UUID).")] string memory_id,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var memory = await operations.GetAsync(who.Caller, MemoryId(memory_id), cancellationToken);
        return McpToolResults.Ok($"[{memory.Id}] {memory.Memory}", memory);
    }

    [McpServerTool(Name = "update_memory", Title = "Update a memory", Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Changes a memory's text and/or merges keys into its metadata. The old text stays in its history.")]
    public async Task<CallToolResult> UpdateMemory(
        RequestContext<CallToolRequestParams> context,
        [Description("The memory's id (a UUID).")] string memory_id,
        [Description("The new text.")] string? text = null,
        [Description("A JSON object whose keys replace the memory's metadata keys of the same name.")] JsonObject? metadata = null,
        CancellationToken cancellationToken = default)
    {
        var who = McpCaller.From(context.User);
        var id = MemoryId(memory_id);
        var memory = await operations.UpdateAsync(who.Caller, id, text, Metadata(metadata), cancellationToken);
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
        var id = MemoryId(memory_id);
        await operations.DeleteAsync(who.Caller, id, cancellationToken);
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
        if (scope.IsEmpty)
        {
            throw new ValidationException("user_id", "Give at least one of user_id, agent_id, app_id or run_id ('*' for every entity of a kind), or pin a default scope on the connection.");
        }

        var (eventId, status) = await operations.DeleteAllAsync(who.Caller, scope, cancellationToken);
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
        var history = await operations.HistoryAsync(who.Caller, MemoryId(memory_id), cancellationToken);
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
        var entities = await operations.ListEntitiesAsync(who.Caller, kind, cancellationToken);
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
        if (string.IsNullOrWhiteSpace(event_id))
        {
            throw new ValidationException("event_id", "'event_id' must not be empty.");
        }

        var memoryEvent = await operations.GetEventAsync(who.Caller, event_id.Trim(), cancellationToken);
        var summary = $"Event {memoryEvent.Id} ({memoryEvent.EventType}): {memoryEvent.Status}"
            + (memoryEvent.Error is null ? "" : $" - {memoryEvent.Error}");
        return McpToolResults.Ok(summary, memoryEvent);
    }

    private static string MemoryId(string? value) =>
        Guid.TryParse(value?.Trim(), out var id)
            ? id.ToString()
            : throw new ValidationException("memory_id", "'memory_id' must be a memory id (a UUID).");

    /// <summary>The same object, depth and size rules as the API's <c>metadata</c>.</summary>
    private static JsonElement? Metadata(JsonObject? metadata) =>
        metadata is null ? null : RequestParsing.ParseMetadata(JsonBody.FromElement(JsonSerializer.SerializeToElement(new { metadata })));

    private static EntityType EntityKind(string value) => value.Trim().ToLowerInvariant() switch
    {
        "user" or "users" => EntityType.User,
        "agent" or "agents" => EntityType.Agent,
        "app" or "apps" => EntityType.App,
        "run" or "runs" => EntityType.Run,
        _ => throw new ValidationException("type", "'type' must be 'user', 'agent', 'app' or 'run'."),
    };

    private static void AddScope(JsonObject body, MemoryScope scope)
    {
        if (scope.UserId is not null)
        {
            body["user_id"] = scope.UserId;
        }

        if (scope.AgentId is not null)
        {
            body["agent_id"] = scope.AgentId;
        }

        if (scope.AppId is not null)
        {
            body["app_id"] = scope.AppId;
        }

        if (scope.RunId is not null)
        {
            body["run_id"] = scope.RunId;
        }
    }

    private static string Describe(MemoryScope scope) => string.Join(", ", new[]
    {
        scope.UserId is null ? null : $"user {scope.UserId}",
        scope.AgentId is null ? null : $"agent {scope.AgentId}",
        scope.AppId is null ? null : $"app {scope.AppId}",
        scope.RunId is null ? null : $"run {scope.RunId}",
    }.Where(s => s is not null));
}
