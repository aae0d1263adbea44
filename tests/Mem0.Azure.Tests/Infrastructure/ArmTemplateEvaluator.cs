using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mem0.Azure.Tests.Infrastructure;

/// <summary>
/// Evaluates the small subset of ARM template expressions that Bicep emits for the Cosmos DB module
/// (variables, parameters, copy loops, if/format/createObject/...), so a test can compare what a
/// deployment would create with infra/cosmos-containers.json instead of grepping expression text.
/// Anything outside the subset throws, so an unsupported construct fails the test loudly.
/// </summary>
internal sealed class ArmTemplateEvaluator
{
    private readonly JsonObject _template;
    private readonly IReadOnlyDictionary<string, JsonNode?> _parameterValues;
    private readonly Dictionary<string, JsonNode?> _variableCache = new(StringComparer.OrdinalIgnoreCase);

    public ArmTemplateEvaluator(JsonObject template, IReadOnlyDictionary<string, JsonNode?>? parameterValues = null)
    {
        _template = template;
        _parameterValues = parameterValues ?? new Dictionary<string, JsonNode?>();
    }

    /// <summary>Every resource of the template (not nested deployments), with copy loops expanded and all expressions evaluated.</summary>
    public IReadOnlyList<JsonObject> ExpandResources()
    {
        var resources = _template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>().ToList(),
            _ => [],
        };

        var expanded = new List<JsonObject>();
        foreach (var resource in resources)
        {
            if (resource["copy"] is JsonObject copyLoop)
            {
                var count = ToInt(Evaluate(copyLoop["count"], CopyContext.None));
                for (var index = 0; index < count; index++)
                {
                    expanded.Add(EvaluateResource(resource, new CopyContext(index, null, null)));
                }
            }
            else
            {
                expanded.Add(EvaluateResource(resource, CopyContext.None));
            }
        }

        return expanded;
    }

    /// <summary>The value of a template output.</summary>
    public JsonNode? EvaluateOutput(string name) =>
        Evaluate(_template["outputs"]?[name]?["value"] ?? throw new KeyNotFoundException($"No output '{name}'."), CopyContext.None);

    /// <summary>Evaluates a JSON value: strings in [brackets] are expressions; objects and arrays recursively.</summary>
    public JsonNode? Evaluate(JsonNode? node, CopyContext copy) => node switch
    {
        null => null,
        JsonObject obj => EvaluateObject(obj, copy),
        JsonArray array => new JsonArray(array.Select(item => Evaluate(item, copy)).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => EvaluateString(text, copy),
        _ => node.DeepClone(),
    };

    /// <summary>Evaluates an object; a "copy" array inside it (a property loop) becomes one array property per loop.</summary>
    private JsonObject EvaluateObject(JsonObject obj, CopyContext copy)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key == "copy" && value is JsonArray loops)
            {
                foreach (var loop in loops.OfType<JsonObject>())
                {
                    var name = (string)loop["name"]!;
                    var count = ToInt(Evaluate(loop["count"], copy));
                    result[name] = new JsonArray(Enumerable.Range(0, count)
                        .Select(i => Evaluate(loop["input"], copy with { LoopName = name, LoopIndex = i }))
                        .ToArray());
                }

                continue;
            }

            result[key] = Evaluate(value, copy);
        }

        return result;
    }

    private JsonObject EvaluateResource(JsonObject resource, CopyContext copy)
    {
        var result = new JsonObject();
        foreach (var (key, value) in resource)
        {
            if (key is "copy" or "dependsOn")
            {
                continue;
            }

            result[key] = Evaluate(value, copy);
        }

        return result;
    }

    private JsonNode? EvaluateString(string text, CopyContext copy)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return JsonValue.Create(text[1..]);
        }

        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            var parser = new Parser(text[1..^1], this, copy);
            return parser.ParseWhole();
        }

        return JsonValue.Create(text);
    }

    private JsonNode? Variable(string name)
    {
        if (_variableCache.TryGetValue(name, out var cached))
        {
            return cached?.DeepClone();
        }

        var variables = _template["variables"] as JsonObject ?? throw new InvalidOperationException("The template has no variables.");
        if (!variables.TryGetPropertyValue(name, out var raw))
        {
            throw new KeyNotFoundException($"No variable '{name}'.");
        }

        var value = Evaluate(raw, CopyContext.None);
        _variableCache[name] = value;
        return value?.DeepClone();
    }

    private JsonNode? Parameter(string name)
    {
        if (_parameterValues.TryGetValue(name, out var supplied))
        {
            return supplied?.DeepClone();
        }

        var declaration = _template["parameters"]?[name] ?? throw new KeyNotFoundException($"No parameter '{name}'.");
        return declaration is JsonObject obj && obj.TryGetPropertyValue("defaultValue", out var defaultValue)
            ? Evaluate(defaultValue, CopyContext.None)
            : throw new InvalidOperationException($"Parameter '{name}' has no default; supply a value.");
    }

    private static int ToInt(JsonNode? node) => node?.GetValue<int>() ?? throw new InvalidOperationException("Expected an integer.");

    private static bool IsTruthy(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : throw new InvalidOperationException($"Expected a bool, got {node?.ToJsonString() ?? "null"}.");

    private static string AsString(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.GetValue<bool>() ? "True" : "False",
        _ => node.ToJsonString(),
    };

    private static int Length(JsonNode? node) => node switch
    {
        JsonArray array => array.Count,
        JsonObject obj => obj.Count,
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length,
        _ => throw new InvalidOperationException("length() needs an array, object or string."),
    };

    private static bool IsEmpty(JsonNode? node) => node is null || Length(node) == 0;

    private JsonNode? Call(string function, List<JsonNode?> args, CopyContext copy) => function.ToUpperInvariant() switch
    {
        "VARIABLES" => Variable(AsString(args[0])),
        "PARAMETERS" => Parameter(AsString(args[0])),
        "COPYINDEX" => JsonValue.Create(copy.IndexOf(args.Count > 0 ? AsString(args[0]) : null)),
        "ITEMS" => Items(args[0]),
        "IF" => (IsTruthy(args[0]) ? args[1] : args[2])?.DeepClone(),
        "NOT" => JsonValue.Create(!IsTruthy(args[0])),
        "AND" => JsonValue.Create(args.All(IsTruthy)),
        "OR" => JsonValue.Create(args.Any(IsTruthy)),
        "EQUALS" => JsonValue.Create(JsonNode.DeepEquals(args[0], args[1])),
        "GREATER" => JsonValue.Create(ToInt(args[0]) > ToInt(args[1])),
        "LESS" => JsonValue.Create(ToInt(args[0]) < ToInt(args[1])),
        "LENGTH" => JsonValue.Create(Length(args[0])),
        "EMPTY" => JsonValue.Create(IsEmpty(args[0])),
        "NULL" => null,
        "TRUE" => JsonValue.Create(true),
        "FALSE" => JsonValue.Create(false),
        "STRING" => JsonValue.Create(AsString(args[0])),
        "FORMAT" => JsonValue.Create(string.Format(CultureInfo.InvariantCulture, AsString(args[0]), args.Skip(1).Select(AsString).ToArray<object>())),
        "CREATEARRAY" => new JsonArray(args.Select(a => a?.DeepClone()).ToArray()),
        "CREATEOBJECT" => CreateObject(args),
        "CONCAT" => Concat(args),
        "UNION" => Union(args),
        "TRYGET" => TryGet(args[0], args[1]),
        // Enough of an id for comparisons in tests; subscription and resource group are not modelled.
        "RESOURCEID" => JsonValue.Create($"/providers/{AsString(args[0])}/{string.Join('/', args.Skip(1).Select(AsString))}"),
        _ => throw new NotSupportedException($"ARM function '{function}' is not supported by the test evaluator."),
    };

    private static JsonArray Items(JsonNode? node) => node is JsonObject obj
        ? new JsonArray(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value?.DeepClone() }).ToArray())
        : throw new InvalidOperationException("items() needs an object.");

    private static JsonObject CreateObject(List<JsonNode?> args)
    {
        var result = new JsonObject();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            result[AsString(args[i])] = args[i + 1]?.DeepClone();
        }

        return result;
    }

    private static JsonNode Concat(List<JsonNode?> args)
    {
        if (args.Count > 0 && args[0] is JsonArray)
        {
            return new JsonArray(args.OfType<JsonArray>().SelectMany(a => a).Select(item => item?.DeepClone()).ToArray());
        }

        return JsonValue.Create(string.Concat(args.Select(AsString)));
    }

    private static JsonObject Union(List<JsonNode?> args)
    {
        var result = new JsonObject();
        foreach (var obj in args.OfType<JsonObject>())
        {
            foreach (var (key, value) in obj)
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    private static JsonNode? TryGet(JsonNode? source, JsonNode? key) => source switch
    {
        JsonObject obj => obj.TryGetPropertyValue(AsString(key), out var value) ? value?.DeepClone() : null,
        JsonArray array => ToInt(key) < array.Count ? array[ToInt(key)]?.DeepClone() : null,
        _ => null,
    };

    private static JsonNode? Member(JsonNode? source, string name) => source is JsonObject obj
        ? obj.TryGetPropertyValue(name, out var value) ? value?.DeepClone() : throw new KeyNotFoundException($"No property '{name}'.")
        : throw new InvalidOperationException($"Cannot read '{name}' from {source?.ToJsonString() ?? "null"}.");

    /// <summary>Recursive-descent parser that evaluates as it parses (the expressions are small).</summary>
    private sealed class Parser(string text, ArmTemplateEvaluator evaluator, CopyContext copy)
    {
        private int _position;

        public JsonNode? ParseWhole()
        {
            var value = ParseExpression();
            SkipWhitespace();
            return _position == text.Length ? value : throw Error("unexpected trailing text");
        }

        private JsonNode? ParseExpression()
        {
            var value = ParsePrimary();
            while (true)
            {
                SkipWhitespace();
                if (TryConsume('.'))
                {
                    value = Member(value, ReadIdentifier());
                }
                else if (TryConsume('['))
                {
                    var index = ParseExpression();
                    Expect(']');
                    value = index is JsonValue v && v.TryGetValue<string>(out var key) ? Member(value, key) : TryGetIndex(value, index);
                }
                else
                {
                    return value;
                }
            }
        }

        private static JsonNode? TryGetIndex(JsonNode? value, JsonNode? index) => value is JsonArray array
            ? array[ToInt(index)]?.DeepClone()
            : throw new InvalidOperationException("Indexing a non-array with a number.");

        private JsonNode? ParsePrimary()
        {
            SkipWhitespace();
            if (_position >= text.Length)
            {
                throw Error("unexpected end");
            }

            var current = text[_position];
            if (current == '\'')
            {
                return JsonValue.Create(ReadString());
            }

            if (char.IsDigit(current) || current == '-')
            {
                var start = _position++;
                while (_position < text.Length && char.IsDigit(text[_position]))
                {
                    _position++;
                }

                return JsonValue.Create(int.Parse(text[start.._position], CultureInfo.InvariantCulture));
            }

            var name = ReadIdentifier();
            Expect('(');
            var args = new List<JsonNode?>();
            SkipWhitespace();
            if (!TryConsume(')'))
            {
                do
                {
                    args.Add(ParseExpression());
                    SkipWhitespace();
                }
                while (TryConsume(','));
                Expect(')');
            }

            return evaluator.Call(name, args, copy);
        }

        private string ReadString()
        {
            var builder = new StringBuilder();
            _position++;
            while (_position < text.Length)
            {
                var c = text[_position++];
                if (c != '\'')
                {
                    builder.Append(c);
                }
                else if (_position < text.Length && text[_position] == '\'')
                {
                    builder.Append('\'');
                    _position++;
                }
                else
                {
                    return builder.ToString();
                }
            }

            throw Error("unterminated string");
        }

        private string ReadIdentifier()
        {
            SkipWhitespace();
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] is '_' or '$' or '#'))
            {
                _position++;
            }

            return _position > start ? text[start.._position] : throw Error("identifier expected");
        }

        private void SkipWhitespace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private bool TryConsume(char c)
        {
            if (_position < text.Length && text[_position] == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipWhitespace();
            if (!TryConsume(c))
            {
                throw Error($"'{c}' expected");
            }
        }

        private FormatException Error(string message) => new($"ARM expression error at {_position}: {message} in [{text}]");
    }

    /// <summary>The loop indexes in scope: the resource loop's and, inside a property loop, that loop's.</summary>
    internal sealed record CopyContext(int? ResourceIndex, string? LoopName, int? LoopIndex)
    {
        public static CopyContext None { get; } = new(null, null, null);

        public int IndexOf(string? loopName) => loopName is null
            ? ResourceIndex ?? throw new InvalidOperationException("copyIndex() outside a resource copy loop.")
            : string.Equals(loopName, LoopName, StringComparison.OrdinalIgnoreCase) && LoopIndex is { } index
                ? index
                : throw new InvalidOperationException($"copyIndex('{loopName}') outside that loop.");
    }
}
