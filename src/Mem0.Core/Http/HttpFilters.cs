using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;

namespace Mem0.Core.Http;

/// <summary>
/// The HTTP layer's door to the filter grammar. Interim: understands the scope ids with AND/OR/NOT until the
/// full FilterParser is merged, then delegates to it.
/// </summary>
internal static class HttpFilters
{
    public static FilterNode Parse(JsonElement filters) => ParseObject(filters, "filters");

    /// <summary>True when every match must carry a given scope id (so a query can never range over a whole project).</summary>
    public static bool HasPositiveScope(FilterNode node) => node switch
    {
        ConditionFilter c => c.Field.IsScopeId && c.Operator is FilterOperator.Eq or FilterOperator.In or FilterOperator.Exists,
        AndFilter a => a.Children.Any(HasPositiveScope),
        OrFilter o => o.Children.Count > 0 && o.Children.All(HasPositiveScope),
        _ => false,
    };

    /// <summary>A condition on one scope id; <c>*</c> means "any value".</summary>
    public static FilterNode ScopeCondition(FilterFieldKind kind, string value) =>
        value == "*"
            ? new ConditionFilter(FilterField.Of(kind), FilterOperator.Exists, FilterValue.Null)
            : new ConditionFilter(FilterField.Of(kind), FilterOperator.Eq, new StringValue(value));

    private static FilterNode ParseObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FilterValidationException(path, $"'{path}' must be an object.");
        }

        var children = new List<FilterNode>();
        foreach (var property in element.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            children.Add(property.Name switch
            {
                "AND" or "$and" => new AndFilter(ParseList(property.Value, childPath)),
                "OR" or "$or" => new OrFilter(ParseList(property.Value, childPath)),
                "NOT" or "$not" => new NotFilter(property.Value.ValueKind == JsonValueKind.Array
                    ? new AndFilter(ParseList(property.Value, childPath))
                    : ParseObject(property.Value, childPath)),
                _ => ParseCondition(property.Name, property.Value, childPath),
            });
        }

        return children.Count == 1 ? children[0] : new AndFilter(children);
    }

    private static List<FilterNode> ParseList(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new FilterValidationException(path, $"'{path}' must be a list of conditions.");
        }

        return [.. element.EnumerateArray().Select((item, i) => ParseObject(item, $"{path}[{i}]"))];
    }

    private static FilterNode ParseCondition(string name, JsonElement value, string path)
    {
        var kind = name switch
        {
            "user_id" or "userId" => FilterFieldKind.UserId,
            "agent_id" or "agentId" => FilterFieldKind.AgentId,
            "app_id" or "appId" => FilterFieldKind.AppId,
            "run_id" or "runId" => FilterFieldKind.RunId,
            _ => throw new FilterValidationException(path, $"Filter field '{name}' is not supported."),
        };
        var field = FilterField.Of(kind);
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return ScopeCondition(kind, value.GetString()!);
            case JsonValueKind.Array:
                return new ConditionFilter(field, FilterOperator.In, Strings(value, path));
            case JsonValueKind.Object:
                var ops = new List<FilterNode>();
                foreach (var op in value.EnumerateObject())
                {
                    var opPath = $"{path}.{op.Name}";
                    ops.Add(op.Name switch
                    {
                        "eq" => new ConditionFilter(field, FilterOperator.Eq, String(op.Value, opPath)),
                        "ne" => new ConditionFilter(field, FilterOperator.Ne, String(op.Value, opPath)),
                        "in" => new ConditionFilter(field, FilterOperator.In, Strings(op.Value, opPath)),
                        "nin" => new ConditionFilter(field, FilterOperator.Nin, Strings(op.Value, opPath)),
                        _ => throw new FilterValidationException(opPath, $"Operator '{op.Name}' is not allowed on '{name}'."),
                    });
                }

                return ops.Count == 1 ? ops[0] : new AndFilter(ops);
            default:
                throw new FilterValidationException(path, $"'{path}' must be a string, a list or an operator object.");
        }
    }

    private static StringValue String(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String
            ? new StringValue(value.GetString()!)
            : throw new FilterValidationException(path, $"'{path}' must be a string.");

    private static ListValue Strings(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Array
            ? new ListValue([.. value.EnumerateArray().Select((v, i) => (FilterValue)String(v, $"{path}[{i}]"))])
            : throw new FilterValidationException(path, $"'{path}' must be a list.");
}
