using System.Globalization;
using System.Text.Json;
using Mem0.Core.Common;

namespace Mem0.Core.Filters;

/// <summary>
/// Parses the wire <c>filters</c> object (contract §5) into a <see cref="FilterNode"/>. Anything not understood is a
/// <see cref="FilterValidationException"/> naming the JSON path: a filter is never partly ignored.
/// </summary>
public static class FilterParser
{
    /// <summary>Nesting deeper than this is rejected, so a hostile body cannot exhaust the stack.</summary>
    public const int MaxDepth = 32;

    private const string TopLevelKeyMessage = "Top-level key must be a logical operator or an allowed field";

    private static readonly Dictionary<string, FilterOperator> Operators = new(StringComparer.Ordinal)
    {
        ["eq"] = FilterOperator.Eq,
        ["ne"] = FilterOperator.Ne,
        ["in"] = FilterOperator.In,
        ["nin"] = FilterOperator.Nin,
        ["gt"] = FilterOperator.Gt,
        ["gte"] = FilterOperator.Gte,
        ["lt"] = FilterOperator.Lt,
        ["lte"] = FilterOperator.Lte,
        ["contains"] = FilterOperator.Contains,
        ["icontains"] = FilterOperator.IContains,
    };

    private static readonly Dictionary<string, FilterFieldKind> Fields = new(StringComparer.Ordinal)
    {
        ["user_id"] = FilterFieldKind.UserId,
        ["userId"] = FilterFieldKind.UserId,
        ["agent_id"] = FilterFieldKind.AgentId,
        ["agentId"] = FilterFieldKind.AgentId,
        ["app_id"] = FilterFieldKind.AppId,
        ["appId"] = FilterFieldKind.AppId,
        ["run_id"] = FilterFieldKind.RunId,
        ["runId"] = FilterFieldKind.RunId,
        ["created_at"] = FilterFieldKind.CreatedAt,
        ["updated_at"] = FilterFieldKind.UpdatedAt,
        ["categories"] = FilterFieldKind.Categories,
        ["metadata"] = FilterFieldKind.Metadata,
        ["keywords"] = FilterFieldKind.Text,
        ["text"] = FilterFieldKind.Text,
        ["memory_ids"] = FilterFieldKind.MemoryId,
    };

    /// <summary>Parses <paramref name="filters"/>; null/undefined and <c>{}</c> give <see cref="FilterNode.All"/>.</summary>
    public static FilterNode Parse(JsonElement filters) => Parse(filters, "filters");

    /// <summary>Parses <paramref name="filters"/>, naming errors relative to <paramref name="rootPath"/>.</summary>
    public static FilterNode Parse(JsonElement filters, string rootPath)
    {
        ArgumentNullException.ThrowIfNull(rootPath);
        if (filters.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return FilterNode.All;
        }

        return ParseObject(filters, rootPath, depth: 1);
    }

    /// <summary>Parses a JSON text; convenient for tests and configuration.</summary>
    public static FilterNode Parse(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 * MaxDepth });
        return Parse(document.RootElement);
    }

    private static FilterNode ParseObject(JsonElement element, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FilterValidationException(path, $"Filters are nested deeper than {MaxDepth} levels.");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FilterValidationException(path, $"A filter must be a JSON object, not {Describe(element.ValueKind)}.");
        }

        var children = new List<FilterNode>();
        foreach (var property in element.EnumerateObject())
        {
            var childPath = path + "." + property.Name;
            children.Add(ParseKey(property.Name, property.Value, childPath, path, depth));
        }

        return Combine(children);
    }

    private static FilterNode ParseKey(string key, JsonElement value, string path, string parentPath, int depth)
    {
        switch (key)
        {
            case "AND" or "and" or "$and":
                return new AndFilter(ParseList(key, value, parentPath, depth, allowObject: false));
            case "OR" or "or" or "$or":
                return new OrFilter(ParseList(key, value, parentPath, depth, allowObject: false));
            case "NOT" or "not" or "$not":
                {
                    var items = ParseList(key, value, parentPath, depth, allowObject: true);

                    // A NOT list means "none of these": NOT (a OR b), as the OSS reference evaluator does.
                    return new NotFilter(items.Count == 1 ? items[0] : new OrFilter(items));
                }
        }

        if (Fields.TryGetValue(key, out var kind))
        {
            return kind == FilterFieldKind.Metadata
                ? ParseMetadata([], value, path, depth)
                : ParseField(FilterField.Of(kind), value, path, depth);
        }

        if (key.StartsWith("metadata.", StringComparison.Ordinal))
        {
            var segments = key["metadata.".Length..].Split('.');
            if (segments.Any(string.IsNullOrEmpty))
            {
                throw new FilterValidationException(path, $"Invalid metadata key '{key}': empty path segment.");
            }

            return ParseMetadata(segments, value, path, depth);
        }

        throw new FilterValidationException(path, $"{TopLevelKeyMessage}: unknown key '{key}'.");
    }

    private static List<FilterNode> ParseList(string key, JsonElement value, string parentPath, int depth, bool allowObject)
    {
        var listPath = parentPath + "." + key;
        if (value.ValueKind == JsonValueKind.Object && allowObject)
        {
            return [ParseObject(value, listPath, depth + 1)];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            var expected = allowObject ? "an object or a list of filter objects" : "a list of filter objects";
            throw new FilterValidationException(listPath, $"'{key}' must be {expected}, not {Describe(value.ValueKind)}.");
        }

        if (value.GetArrayLength() == 0)
        {
            throw new FilterValidationException(listPath, $"'{key}' must not be an empty list.");
        }

        var items = new List<FilterNode>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            items.Add(ParseObject(item, $"{listPath}[{index}]", depth + 1));
            index++;
        }

        return items;
    }

    /// <summary>
    /// <c>{"metadata": {...}}</c>: keys are nested metadata keys until an object whose keys are all operators
    /// (<c>{"k": {"gt": 1}}</c>); a scalar or list is the operand of an implicit <c>eq</c> / <c>in</c>.
    /// </summary>
    private static FilterNode ParseMetadata(IReadOnlyList<string> prefix, JsonElement value, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FilterValidationException(path, $"Filters are nested deeper than {MaxDepth} levels.");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return ParseField(new FilterField(FilterFieldKind.Metadata, prefix), value, path, depth);
        }

        var names = value.EnumerateObject().Select(p => p.Name).ToList();
        if (names.Count == 0)
        {
            throw new FilterValidationException(path, "A metadata filter must not be an empty object.");
        }

        var operatorCount = names.Count(IsOperatorName);
        if (operatorCount == names.Count)
        {
            if (prefix.Count == 0)
            {
                throw new FilterValidationException(path, "An operator on 'metadata' needs a key, e.g. {\"metadata\": {\"topic\": {\"eq\": \"x\"}}}.");
            }

            return ParseField(new FilterField(FilterFieldKind.Metadata, prefix), value, path, depth);
        }

        if (operatorCount > 0)
        {
            var op = names.First(IsOperatorName);
            throw new FilterValidationException(path, $"Operator '{op}' cannot be mixed with metadata keys in one object.");
        }

        var children = new List<FilterNode>();
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name.Length == 0)
            {
                throw new FilterValidationException(path, "Metadata keys must not be empty.");
            }

            if (LooksLikeOperator(property.Name))
            {
                // {"metadata.k": {"regex": ".*"}} would otherwise be read as the nested key k.regex and match nothing.
                throw new FilterValidationException(
                    path + "." + property.Name,
                    $"Unsupported operator '{property.Name}' on '{string.Join('.', ["metadata", .. prefix])}'. Allowed: {string.Join(", ", Operators.Keys)}, or \"*\".");
            }

            children.Add(ParseMetadata([.. prefix, property.Name], property.Value, path + "." + property.Name, depth + 1));
        }

        return Combine(children);
    }

    private static bool IsOperatorName(string name) => Operators.ContainsKey(name) || name == "*";

    /// <summary>
    /// Operator names of other filter languages (Mongo-style <c>$...</c>, Django-style lookups, SQL words) that we do not
    /// support: as a metadata key they are almost surely a mistaken operator, so they are refused rather than matched
    /// as a nested key. A metadata key really spelled like this can still be matched by its dotted path
    /// (<c>{"metadata.k.regex": {"eq": ...}}</c>).
    /// </summary>
    private static bool LooksLikeOperator(string name) =>
        name.StartsWith('$') || UnsupportedOperators.Contains(name);

    private static readonly HashSet<string> UnsupportedOperators = new(StringComparer.OrdinalIgnoreCase)
    {
        "regex", "iregex", "like", "ilike", "startswith", "istartswith", "endswith", "iendswith", "exact", "iexact",
        "exists", "isnull", "range", "between", "match", "search", "all", "any", "size", "not", "and", "or",
        "neq", "not_in", "notin", "not_contains", "elemmatch",
    };

    private static FilterNode ParseField(FilterField field, JsonElement value, string path, int depth)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when value.GetString() == "*":
                return new ConditionFilter(field, FilterOperator.Exists, FilterValue.Null);
            case JsonValueKind.Array:
                return Condition(field, FilterOperator.In, value, path);
            case JsonValueKind.Object:
                {
                    var conditions = new List<FilterNode>();
                    foreach (var property in value.EnumerateObject())
                    {
                        var opPath = path + "." + property.Name;
                        if (property.Name == "*")
                        {
                            conditions.Add(new ConditionFilter(field, FilterOperator.Exists, FilterValue.Null));
                            continue;
                        }

                        if (!Operators.TryGetValue(property.Name, out var op))
                        {
                            throw new FilterValidationException(
                                opPath,
                                $"Unknown operator '{property.Name}' on '{field.WireName}'. Allowed: {string.Join(", ", Operators.Keys)}, or \"*\".");
                        }

                        conditions.Add(Condition(field, op, property.Value, opPath));
                    }

                    if (conditions.Count == 0)
                    {
                        throw new FilterValidationException(path, $"The condition on '{field.WireName}' is an empty object.");
                    }

                    return Combine(conditions);
                }

            default:
                // Bare value: equality, except on the text field where a keyword means "contains".
                var bareOp = field.Kind == FilterFieldKind.Text ? FilterOperator.Contains : FilterOperator.Eq;
                return Condition(field, bareOp, value, path);
        }
    }

    private static ConditionFilter Condition(FilterField field, FilterOperator op, JsonElement value, string path)
    {
        if (!IsAllowed(field.Kind, op))
        {
            throw new FilterValidationException(path, $"Operator '{OperatorName(op)}' is not supported on '{field.WireName}'.");
        }

        if (op is FilterOperator.In or FilterOperator.Nin)
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new FilterValidationException(path, $"Operator '{OperatorName(op)}' on '{field.WireName}' needs a list, not {Describe(value.ValueKind)}.");
            }

            var items = new List<FilterValue>();
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                var itemPath = $"{path}[{index}]";
                var itemValue = Scalar(field, item, itemPath);
                if (itemValue is NullValue && field.Kind != FilterFieldKind.Metadata)
                {
                    throw new FilterValidationException(itemPath, $"The list of '{OperatorName(op)}' on '{field.WireName}' cannot contain null.");
                }

                items.Add(itemValue);
                index++;
            }

            return new ConditionFilter(field, op, new ListValue(items));
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            throw new FilterValidationException(path, $"Operator '{OperatorName(op)}' on '{field.WireName}' takes a single value, not a list.");
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() == "*" && op == FilterOperator.Eq)
        {
            return new ConditionFilter(field, FilterOperator.Exists, FilterValue.Null);
        }

        var operand = Scalar(field, value, path);
        if (operand is NullValue && op is not (FilterOperator.Eq or FilterOperator.Ne))
        {
            throw new FilterValidationException(path, $"Operator '{OperatorName(op)}' on '{field.WireName}' cannot take null.");
        }

        if (op is FilterOperator.Contains or FilterOperator.IContains && field.Kind != FilterFieldKind.Metadata && operand is not StringValue)
        {
            throw new FilterValidationException(path, $"Operator '{OperatorName(op)}' on '{field.WireName}' needs a string.");
        }

        return new ConditionFilter(field, op, operand);
    }

    private static bool IsAllowed(FilterFieldKind kind, FilterOperator op) => kind switch
    {
        FilterFieldKind.UserId or FilterFieldKind.AgentId or FilterFieldKind.AppId or FilterFieldKind.RunId =>
            op is FilterOperator.Eq or FilterOperator.Ne or FilterOperator.In or FilterOperator.Nin
                or FilterOperator.Contains or FilterOperator.IContains,
        FilterFieldKind.CreatedAt or FilterFieldKind.UpdatedAt =>
            op is not (FilterOperator.Contains or FilterOperator.IContains),
        FilterFieldKind.Categories =>
            op is not (FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte),
        FilterFieldKind.Metadata => true,
        FilterFieldKind.Text =>
            op is FilterOperator.Eq or FilterOperator.Ne or FilterOperator.Contains or FilterOperator.IContains,
        FilterFieldKind.MemoryId =>
            op is FilterOperator.Eq or FilterOperator.Ne or FilterOperator.In or FilterOperator.Nin,
        _ => false,
    };

    private static FilterValue Scalar(FilterField field, JsonElement value, string path)
    {
        switch (field.Kind)
        {
            case FilterFieldKind.CreatedAt or FilterFieldKind.UpdatedAt:
                return ParseTime(field, value, path);
            case FilterFieldKind.Metadata:
                return value.ValueKind switch
                {
                    JsonValueKind.String => new StringValue(value.GetString()!),
                    JsonValueKind.Number => new NumberValue(value.GetDouble()),
                    JsonValueKind.True => new BoolValue(true),
                    JsonValueKind.False => new BoolValue(false),
                    JsonValueKind.Null => FilterValue.Null,
                    _ => throw new FilterValidationException(path, $"'{field.WireName}' cannot be compared with {Describe(value.ValueKind)}."),
                };
            default:
                if (value.ValueKind == JsonValueKind.String)
                {
                    return new StringValue(value.GetString()!);
                }

                if (value.ValueKind == JsonValueKind.Null && field.Kind != FilterFieldKind.Text)
                {
                    return FilterValue.Null;
                }

                throw new FilterValidationException(path, $"'{field.WireName}' must be compared with a string, not {Describe(value.ValueKind)}.");
        }
    }

    private static DateValue ParseTime(FilterField field, JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds))
        {
            // Unix epoch seconds; bounded so FromUnixTimeMilliseconds cannot overflow.
            if (double.IsFinite(seconds) && Math.Abs(seconds) < 253_402_300_799d)
            {
                return new DateValue(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)));
            }
        }
        else if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (TryParseTime(text, out var parsed))
            {
                return new DateValue(parsed);
            }
        }

        throw new FilterValidationException(
            path,
            $"'{field.WireName}' needs an ISO-8601 date or date-time, or Unix epoch seconds; got {Describe(value)}.");
    }

    private static bool TryParseTime(string text, out DateTimeOffset value)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        // Date-times without an offset are taken as UTC, as the platform stores UTC.
        if (text.Length >= 10 && text[4] == '-' && text[7] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) && Math.Abs(epoch) < 253_402_300_799L)
        {
            value = DateTimeOffset.FromUnixTimeSeconds(epoch);
            return true;
        }

        value = default;
        return false;
    }

    private static FilterNode Combine(List<FilterNode> children) => children.Count switch
    {
        0 => FilterNode.All,
        1 => children[0],
        _ => new AndFilter(children),
    };

    internal static string OperatorName(FilterOperator op) => op switch
    {
        FilterOperator.Exists => "*",
        FilterOperator.IContains => "icontains",
        _ => op.ToString().ToLowerInvariant(),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? $"'{value.GetString()}'" : Describe(value.ValueKind);
}
