using System.Text.Json;
using System.Text.Json.Serialization;
using Mem0.Core.Common;
using Mem0.Core.Memories;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary><c>PUT</c> and <c>DELETE /v1/batch/</c> (the DELETE carries a JSON body; contract §3.10).</summary>
public static class BatchEndpoints
{
    public static Task<IResult> UpdateAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var items = (await JsonBody.ReadAsync(request)).Bind<BatchRequestBody>().Items();
            var updates = items.Select(item => new BatchUpdateItem(item.MemoryId ?? string.Empty, item.Text, item.Metadata)).ToList();
            var count = await services.Memories.BatchUpdateAsync(caller.ProjectId, updates, ct);
            return EndpointRunner.Json(new MessageDto($"Successfully updated {count} memories"));
        });

    public static Task<IResult> DeleteAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var items = (await JsonBody.ReadAsync(request)).Bind<BatchRequestBody>().Items();
            var count = await services.Memories.BatchDeleteAsync(caller.ProjectId, items.Select(item => item.MemoryId ?? string.Empty).ToList(), ct);
            return EndpointRunner.Json(new MessageDto($"Successfully deleted {count} memories"));
        });
}

/// <summary>
/// The body of both batch routes: <c>{"memories": [{"memory_id": ..., "text": ..., "metadata": ...}, ...]}</c>.
/// Ids, counts and texts are checked by <see cref="MemoryOperations"/>; only the shape is checked here.
/// </summary>
internal sealed record BatchRequestBody
{
    [JsonPropertyName("memories")]
    public JsonElement? Memories { get; init; }

    public IReadOnlyList<BatchItemBody> Items()
    {
        var memories = Memories is { ValueKind: not JsonValueKind.Null } given
            ? WireValues.Array(given, "memories")
            : throw new ValidationException("memories", "'memories' is required: a list of {\"memory_id\": ...} objects.");
        var items = new List<BatchItemBody>();
        foreach (var item in memories.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ValidationException($"memories[{items.Count}]", $"memories[{items.Count}] must be an object.");
            }

            items.Add(item.Deserialize<BatchItemBody>(WireAttribute.Options) ?? new BatchItemBody());
        }

        return items;
    }
}

/// <summary>One item of a batch body; <c>text</c> and <c>metadata</c> matter to updates only.</summary>
internal sealed record BatchItemBody
{
    [JsonPropertyName("memory_id"), Wire(WireShape.LenientString, "memory_id")]
    public string? MemoryId { get; init; }

    [JsonPropertyName("text"), Wire(WireShape.StrictString, "text")]
    public string? Text { get; init; }

    [JsonPropertyName("metadata"), Wire(WireShape.Object, "metadata")]
    public JsonElement? Metadata { get; init; }
}
