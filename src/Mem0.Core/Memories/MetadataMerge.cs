using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mem0.Core.Memories;

/// <summary>Metadata updates replace top-level keys and keep the others, as the Mem0 update endpoint does.</summary>
public static class MetadataMerge
{
    public static JsonElement? Merge(JsonElement? existing, JsonElement? patch)
    {
        if (patch is not { } update)
        {
            return existing;
        }

        if (existing is not { ValueKind: JsonValueKind.Object } current || update.ValueKind != JsonValueKind.Object)
        {
            return update.Clone();
        }

        var merged = JsonNode.Parse(current.GetRawText())!.AsObject();
        foreach (var property in update.EnumerateObject())
        {
            merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }

        return JsonSerializer.SerializeToElement(merged);
    }
}
