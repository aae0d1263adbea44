using System.Text;
using System.Text.Json;
using Mem0.Core.Common;

namespace Mem0.Core.Http;

/// <summary>
/// Checks a JSON request body in one forward pass, without building it: every string and property name must be
/// convertible to a .NET string (valid UTF-8, no lone surrogate escapes such as <c>"\ud800"</c>), and no value may be
/// nested deeper than the limit. Failures are <see cref="ValidationException"/>s naming the JSON path of the value
/// (<c>messages[0].content</c>, <c>metadata.k</c>) or, for depth, the top-level field (<c>filters</c>).
/// Syntax errors are left to the parser, which reports them with its own position.
/// </summary>
internal static class JsonBodyScanner
{
    public static void Validate(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        // The reader's own limit is set far above ours so that a too-deep body is reported by us, naming the field.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = Math.Max(maxDepth * 4, 256) });
        var path = new List<Frame>();
        string? topLevel = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = ReadString(ref reader, path, isName: true);
                        path[^1] = path[^1] with { Name = name };
                        if (reader.CurrentDepth == 1)
                        {
                            topLevel = name;
                        }

                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (reader.CurrentDepth >= maxDepth)
                        {
                            throw TooDeep(topLevel, maxDepth);
                        }

                        Advance(path);
                        path.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.String:
                        Advance(path);
                        ReadString(ref reader, path, isName: false);
                        break;
                    default:
                        Advance(path);
                        break;
                }
            }
        }
        catch (JsonException) when (reader.CurrentDepth >= maxDepth)
        {
            throw TooDeep(topLevel, maxDepth);
        }
        catch (JsonException)
        {
            // Malformed JSON: the parser that runs next reports it with its position.
        }
    }

    private static ValidationException TooDeep(string? topLevel, int maxDepth)
    {
        var field = topLevel ?? "body";
        return new ValidationException(field, $"'{field}' is nested too deeply: a request body may nest at most {maxDepth} levels.");
    }

    private static string ReadString(ref Utf8JsonReader reader, List<Frame> path, bool isName)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 bytes, or an escaped surrogate without its pair: no .NET string can hold it faithfully.
            var field = PathOf(path, isName);
            var what = isName ? "a key" : "a string";
            throw new ValidationException(
                field, $"'{field}' contains {what} that is not valid Unicode text (invalid UTF-8 bytes or an unpaired surrogate such as \\ud800).");
        }
    }

    /// <summary>Moves the enclosing array's index on to the value about to be read.</summary>
    private static void Advance(List<Frame> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }
    }

    /// <summary>The dotted path of the current value; for a bad key, the object that holds it.</summary>
    private static string PathOf(List<Frame> path, bool isName)
    {
        var builder = new StringBuilder();
        var count = isName ? path.Count - 1 : path.Count;
        for (var i = 0; i < count; i++)
        {
            var frame = path[i];
            if (frame.IsArray)
            {
                builder.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.Name is not null)
            {
                if (builder.Length > 0)
                {
                    builder.Append('.');
                }

                builder.Append(frame.Name);
            }
        }

        return builder.Length == 0 ? "body" : builder.ToString();
    }

    private readonly record struct Frame(bool IsArray, int Index, string? Name);
}
