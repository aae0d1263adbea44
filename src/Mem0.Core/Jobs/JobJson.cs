using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mem0.Core.Jobs;

/// <summary>How staged payloads are written: our own records, camelCase, nulls omitted.</summary>
internal static class JobJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
