using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Memories;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary><c>PUT</c> and <c>DELETE /v1/batch/</c> (the DELETE carries a JSON body; contract §3.10).</summary>
public static class BatchEndpoints
{
    public const int MaxItems = 1000;

    public static Task<IResult> UpdateAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var items = await ReadItemsAsync(request, "updated");
            var updates = new List<BatchUpdateItem>(items.Count);
            foreach (var (item, index) in items.Select((item, index) => (item, index)))
            {
                updates.Add(new BatchUpdateItem(MemoryId(item, index), item.Read("text", WireValues.StrictString), item.GetObject("metadata")));
            }

            var count = await services.Memories.BatchUpdateAsync(caller.ProjectId, updates, ct);
            return EndpointRunner.Json(new MessageDto($"Successfully updated {count} memories"));
        });

    public static Task<IResult> DeleteAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var items = await ReadItemsAsync(request, "deleted");
            var ids = items.Select((item, index) => MemoryId(item, index)).ToList();
            var count = await services.Memories.BatchDeleteAsync(caller.ProjectId, ids, ct);
            return EndpointRunner.Json(new MessageDto($"Successfully deleted {count} memories"));
        });

    private static async Task<List<JsonBody>> ReadItemsAsync(HttpRequest request, string verb)
    {
        var body = await JsonBody.ReadAsync(request);
        var memories = body.GetArray("memories")
            ?? throw new ValidationException("memories", "'memories' is required: a list of {\"memory_id\": ...} objects.");
        var items = new List<JsonBody>();
        var index = 0;
        foreach (var item in memories.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ValidationException($"memories[{index}]", $"memories[{index}] must be an object.");
            }

            items.Add(JsonBody.FromElement(item));
            index++;
        }

        if (items.Count == 0)
        {
            throw new ValidationException("memories", "'memories' must not be empty.");
        }

        if (items.Count > MaxItems)
        {
            throw new ValidationException("memories", $"Maximum of {MaxItems} memories can be {verb} in a single request");
        }

        return items;
    }

    /// <summary>Memory ids are UUIDs: anything else is a 400, as on the single-memory routes (contract §3.4).</summary>
    private static string MemoryId(JsonBody item, int index)
    {
        var field = $"memories[{index}].memory_id";
        var id = item.GetString("memory_id") is { Length: > 0 } given
            ? given.Trim()
            : throw new ValidationException(field, $"{field} is required.");
        return Guid.TryParse(id, out _) ? id : throw new ValidationException(field, $"{field} should be a valid UUID");
    }
}
