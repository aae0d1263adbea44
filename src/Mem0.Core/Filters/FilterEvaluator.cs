using System.Globalization;
using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Memories;

namespace Mem0.Core.Filters;

/// <summary>
/// Evaluates a <see cref="FilterNode"/> against a memory in process: the reference semantics that the SQL compilers
/// must reproduce. Used by the in-memory store and by the SQLite vector index.
/// </summary>
public static class FilterEvaluator
{
    public static bool Matches(FilterNode node, MemoryRecord memory)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(memory);
        return node switch
        {
            AndFilter and => and.Children.All(child => Matches(child, memory)),
            OrFilter or => or.Children.Any(child => Matches(child, memory)),
            NotFilter not => !Matches(not.Child, memory),
            ConditionFilter condition => MatchesCondition(condition, memory),
            _ => throw new FilterValidationException("filters", $"Unsupported filter node {node.GetType().Name}."),
        };
    }

    private static bool MatchesCondition(ConditionFilter condition, MemoryRecord memory) => condition.Field.Kind switch
    {
        FilterFieldKind.UserId => MatchString(condition, memory.Scope.UserId),
        FilterFieldKind.AgentId => MatchString(condition, memory.Scope.AgentId),
        FilterFieldKind.AppId => MatchString(condition, memory.Scope.AppId),
        FilterFieldKind.RunId => MatchString(condition, memory.Scope.RunId),
        FilterFieldKind.MemoryId => MatchString(condition, memory.Id),
        FilterFieldKind.Text => MatchString(condition, memory.Text),
        FilterFieldKind.CreatedAt => MatchTime(condition, memory.CreatedAt),
        FilterFieldKind.UpdatedAt => MatchTime(condition, memory.UpdatedAt),
        FilterFieldKind.Categories => MatchCategories(condition, memory.Categories),
        FilterFieldKind.Metadata => MatchMetadata(condition, Navigate(memory.Metadata, condition.Field.MetadataPath)),
        _ => throw Unsupported(condition),
    };

    private static bool MatchString(ConditionFilter condition, string? actual)
    {
        var value = condition.Value;
        return condition.Operator switch
        {
            FilterOperator.Exists => actual is not null,
            FilterOperator.Eq => value is NullValue ? actual is null : actual is not null && actual == StringOf(condition, value),
            FilterOperator.Ne => value is NullValue ? actual is not null : actual != StringOf(condition, value),
            FilterOperator.In => actual is not null && Items(condition).Any(item => item is StringValue s && s.Value == actual),
            FilterOperator.Nin => actual is null || !Items(condition).Any(item => item is StringValue s && s.Value == actual),
            FilterOperator.Contains => actual is not null && actual.Contains(StringOf(condition, value), StringComparison.Ordinal),
            FilterOperator.IContains => actual is not null && actual.Contains(StringOf(condition, value), StringComparison.OrdinalIgnoreCase),
            _ => throw Unsupported(condition),
        };
    }

    private static bool MatchTime(ConditionFilter condition, DateTimeOffset actual)
    {
        if (condition.Operator == FilterOperator.Exists)
        {
            return true;
        }

        if (condition.Operator is FilterOperator.In or FilterOperator.Nin)
        {
            var found = Items(condition).Any(item => item is DateValue d && d.Value == actual);
            return condition.Operator == FilterOperator.In ? found : !found;
        }

        if (condition.Value is not DateValue date)
        {
            throw Unsupported(condition);
        }

        var comparison = actual.CompareTo(date.Value);
        return Compare(condition, comparison);
    }

    private static bool MatchCategories(ConditionFilter condition, IReadOnlyList<string> categories)
    {
        bool Has(FilterValue value) =>
            value is StringValue s && categories.Any(c => string.Equals(c, s.Value, StringComparison.OrdinalIgnoreCase));

        return condition.Operator switch
        {
            FilterOperator.Exists => categories.Count > 0,
            FilterOperator.Eq or FilterOperator.Contains or FilterOperator.IContains =>
                condition.Value is NullValue ? categories.Count == 0 : Has(condition.Value),
            FilterOperator.Ne => condition.Value is NullValue ? categories.Count > 0 : !Has(condition.Value),
            FilterOperator.In => Items(condition).Any(Has),
            FilterOperator.Nin => !Items(condition).Any(Has),
            _ => throw Unsupported(condition),
        };
    }

    private static bool MatchMetadata(ConditionFilter condition, JsonElement? actual)
    {
        var present = actual is { ValueKind: not JsonValueKind.Null };
        switch (condition.Operator)
        {
            case FilterOperator.Exists:
                return present;
            case FilterOperator.Eq:
                return condition.Value is NullValue ? !present : present && JsonEquals(actual!.Value, condition.Value);
            case FilterOperator.Ne:
                return condition.Value is NullValue ? present : !present || !JsonEquals(actual!.Value, condition.Value);
            case FilterOperator.In:
                return present && Items(condition).Any(item => JsonEquals(actual!.Value, item));
            case FilterOperator.Nin:
                return !present || !Items(condition).Any(item => JsonEquals(actual!.Value, item));
            case FilterOperator.Contains or FilterOperator.IContains:
                {
                    if (!present)
                    {
                        return false;
                    }

                    var element = actual!.Value;
                    if (element.ValueKind == JsonValueKind.Array)
                    {
                        // A list-valued key "contains" a value when one of its elements equals it.
                        return element.EnumerateArray().Any(item => condition.Operator == FilterOperator.IContains
                            ? item.ValueKind == JsonValueKind.String && condition.Value is StringValue s
                                && string.Equals(item.GetString(), s.Value, StringComparison.OrdinalIgnoreCase)
                            : JsonEquals(item, condition.Value));
                    }

                    if (element.ValueKind != JsonValueKind.String || condition.Value is not StringValue needle)
                    {
                        return false;
                    }

                    var comparisonType = condition.Operator == FilterOperator.IContains ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                    return element.GetString()!.Contains(needle.Value, comparisonType);
                }

            case FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte:
                {
                    if (!present)
                    {
                        return false;
                    }

                    var element = actual!.Value;
                    if (element.ValueKind == JsonValueKind.Number && condition.Value is NumberValue number)
                    {
                        return Compare(condition, element.GetDouble().CompareTo(number.Value));
                    }

                    if (element.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        return false;
                    }

                    // Not both numbers: compare the text forms ordinally (ISO dates compare correctly this way).
                    return Compare(condition, string.CompareOrdinal(ScalarText(element), ValueText(condition.Value)));
                }

            default:
                throw Unsupported(condition);
        }
    }

    /// <summary>Walks <paramref name="path"/> into the metadata object; null when any key is missing.</summary>
    public static JsonElement? Navigate(JsonElement? metadata, IReadOnlyList<string> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (metadata is not { } current)
        {
            return null;
        }

        foreach (var key in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(key, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    private static bool JsonEquals(JsonElement actual, FilterValue expected) => expected switch
    {
        StringValue s => actual.ValueKind == JsonValueKind.String && actual.GetString() == s.Value,
        NumberValue n => actual.ValueKind == JsonValueKind.Number && actual.GetDouble() == n.Value,
        BoolValue b => actual.ValueKind == (b.Value ? JsonValueKind.True : JsonValueKind.False),
        NullValue => actual.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    private static bool Compare(ConditionFilter condition, int comparison) => condition.Operator switch
    {
        FilterOperator.Eq => comparison == 0,
        FilterOperator.Ne => comparison != 0,
        FilterOperator.Gt => comparison > 0,
        FilterOperator.Gte => comparison >= 0,
        FilterOperator.Lt => comparison < 0,
        FilterOperator.Lte => comparison <= 0,
        _ => throw Unsupported(condition),
    };

    private static string ScalarText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => element.GetRawText(),
    };

    private static string ValueText(FilterValue value) => value switch
    {
        StringValue s => s.Value,
        NumberValue n => n.Value.ToString(CultureInfo.InvariantCulture),
        BoolValue b => b.Value ? "true" : "false",
        DateValue d => d.Value.ToString("O", CultureInfo.InvariantCulture),
        _ => "",
    };

    private static string StringOf(ConditionFilter condition, FilterValue value) =>
        value as StringValue is { } s ? s.Value : throw Unsupported(condition);

    private static IReadOnlyList<FilterValue> Items(ConditionFilter condition) =>
        condition.Value is ListValue list ? list.Items : throw Unsupported(condition);

    private static FilterValidationException Unsupported(ConditionFilter condition) =>
        new("filters." + condition.Field.WireName,
            $"Operator '{FilterParser.OperatorName(condition.Operator)}' with a {condition.Value.GetType().Name} operand is not supported on '{condition.Field.WireName}'.");
}
