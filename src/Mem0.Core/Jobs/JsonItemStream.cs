using System.Runtime.CompilerServices;
using System.Text.Json;
using Mem0.Core.Common;

namespace Mem0.Core.Jobs;

/// <summary>
/// Streams the elements of a JSON array body — a bare array, or the <c>items</c> array of an object — one
/// <see cref="JsonElement"/> at a time, holding only the current element in memory. The object's other top-level
/// primitive properties (e.g. <c>infer</c>) are collected in <see cref="Properties"/> as they go by.
/// </summary>
internal sealed class JsonItemStream(Stream stream, int maxElementBytes = 16 * 1024 * 1024)
{
    private enum Phase
    {
        Root,
        Properties,
        Elements,
        ElementsInObject,
        Done,
    }

    private JsonReaderState _readerState = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
    private Phase _phase = Phase.Root;

    public Dictionary<string, JsonElement> Properties { get; } = new(StringComparer.Ordinal);

    public async IAsyncEnumerable<JsonElement> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        var final = false;
        var elements = new List<JsonElement>();
        while (true)
        {
            if (!final)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= maxElementBytes)
                    {
                        throw new ValidationException("items", $"An item is larger than {maxElementBytes} bytes.");
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
                length += read;
                final = read == 0;
            }

            elements.Clear();
            var consumed = Parse(buffer.AsSpan(0, length), final, elements);
            foreach (var element in elements)
            {
                yield return element;
            }

            Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
            length -= consumed;
            if (final)
            {
                if (_phase != Phase.Done)
                {
                    throw new ValidationException("items", "The body must be a JSON array of items or an object with an 'items' array; it ended early.");
                }

                yield break;
            }
        }
    }

    private int Parse(ReadOnlySpan<byte> data, bool final, List<JsonElement> elements)
    {
        Utf8JsonReader reader;
        try
        {
            reader = new Utf8JsonReader(data, final, _readerState);
            var consumed = 0;
            while (true)
            {
                if (!reader.Read() || !Step(ref reader, elements))
                {
                    return consumed;
                }

                consumed = (int)reader.BytesConsumed;
                _readerState = reader.CurrentState;
            }
        }
        catch (JsonException ex)
        {
            throw new ValidationException("items", "The body is not valid JSON: " + ex.Message);
        }
    }

    /// <summary>Handles the token the reader is on; false when more data is needed before it can be consumed.</summary>
    private bool Step(ref Utf8JsonReader reader, List<JsonElement> elements)
    {
        switch (_phase)
        {
            case Phase.Root:
                _phase = reader.TokenType switch
                {
                    JsonTokenType.StartArray => Phase.Elements,
                    JsonTokenType.StartObject => Phase.Properties,
                    _ => throw new ValidationException("items", "The body must be a JSON array of items or an object with an 'items' array."),
                };
                return true;

            case Phase.Properties:
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    _phase = Phase.Done;
                    return true;
                }

                var name = reader.GetString()!;
                if (!reader.Read())
                {
                    return false;
                }

                if (name == "items")
                {
                    _phase = reader.TokenType == JsonTokenType.StartArray
                        ? Phase.ElementsInObject
                        : throw new ValidationException("items", "'items' must be an array.");
                    return true;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    return reader.TrySkip();
                }

                Properties[name] = JsonElement.ParseValue(ref reader);
                return true;

            case Phase.Elements or Phase.ElementsInObject:
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    _phase = _phase == Phase.Elements ? Phase.Done : Phase.Properties;
                    return true;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    var probe = reader;
                    if (!probe.TrySkip())
                    {
                        return false;
                    }
                }

                elements.Add(JsonElement.ParseValue(ref reader));
                return true;

            default:
                throw new ValidationException("items", "Unexpected content after the items.");
        }
    }
}
