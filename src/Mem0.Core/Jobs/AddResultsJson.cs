using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Memories;

namespace Mem0.Core.Jobs;

/// <summary>Converts add outcomes to the wire's event results: <c>[{id, event, user_id, data: {memory}}]</c>.</summary>
public static class AddResultsJson
{
    public static string EventName(MemoryOperation operation) => operation switch
    {
        MemoryOperation.Add => "ADD",
        MemoryOperation.Update => "UPDATE",
        MemoryOperation.Delete => "DELETE",
        _ => "NOOP",
    };

    /// <param name="results">The add's outcomes; NONE outcomes are left out, as the platform does.</param>
    /// <param name="extractor">
    /// "llm", "heuristic" or "verbatim", stamped on every item so a client polling the event can tell that the
    /// heuristic extractor (no LLM configured) produced these memories.
    /// </param>
    public static JsonElement ToElement(IEnumerable<MemoryOperationResult> results, string? extractor = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        var array = new JsonArray();
        foreach (var result in results)
        {
            if (result.Event == MemoryOperation.None)
            {
                continue;
            }

            var item = new JsonObject
            {
                ["id"] = result.Id,
                ["event"] = EventName(result.Event),
                ["user_id"] = result.Scope.UserId,
                ["agent_id"] = result.Scope.AgentId,
                ["app_id"] = result.Scope.AppId,
                ["run_id"] = result.Scope.RunId,
                ["data"] = new JsonObject { ["memory"] = result.Memory },
                ["memory"] = result.Memory,
                ["categories"] = new JsonArray([.. result.Categories.Select(c => (JsonNode?)JsonValue.Create(c))]),
            };
            if (extractor is not null)
            {
                item["extractor"] = extractor;
            }

            if (result.PreviousMemory is not null)
            {
                item["previous_memory"] = result.PreviousMemory;
            }

            array.Add(item);
        }

        return JsonSerializer.SerializeToElement(array);
    }
}
