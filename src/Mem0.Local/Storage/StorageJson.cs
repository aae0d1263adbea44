using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mem0.Local.Storage;

/// <summary>How the SQLite stores serialise the document columns (history entries, projects, keys, events).</summary>
internal static class StorageJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

        // Stored documents wrap caller JSON (event payloads, metadata) a few levels down; an older build accepted bodies
        // 64 levels deep, so reading back must allow more than that or a stored row could break every later read.
        MaxDepth = ReadDepth,
    };

    /// <summary>Nesting allowed when reading stored JSON: well above anything the API ever accepted.</summary>
    public const int ReadDepth = 256;

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"A stored {typeof(T).Name} document is empty.");
}
