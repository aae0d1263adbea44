using Mem0.Core.Common;
using Mem0.Core.Memories;

namespace Mem0.Core.Filters;

/// <summary>
/// PLACEHOLDER until the full evaluator lands from the filters work (same name and signature; take theirs on merge):
/// evaluates scope ids and memory ids only, and rejects anything else rather than ignoring it.
/// </summary>
public static class FilterEvaluator
{
    public static bool Matches(FilterNode filter, MemoryRecord memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return filter switch
        {
            AndFilter and => and.Children.All(c => Matches(c, memory)),
            OrFilter or => or.Children.Any(c => Matches(c, memory)),
            NotFilter not => !Matches(not.Child, memory),
            ConditionFilter condition => Evaluate(condition, memory),
            _ => throw new FilterValidationException("filters", "Unsupported filter node."),
        };
    }

    private static bool Evaluate(ConditionFilter condition, MemoryRecord memory)
    {
        var actual = condition.Field.Kind switch
        {
            FilterFieldKind.UserId => memory.Scope.UserId,
            FilterFieldKind.AgentId => memory.Scope.AgentId,
            FilterFieldKind.AppId => memory.Scope.AppId,
            FilterFieldKind.RunId => memory.Scope.RunId,
            FilterFieldKind.MemoryId => memory.Id,
            _ => throw new FilterValidationException(condition.Field.WireName, $"Filtering on {condition.Field.WireName} is not supported yet."),
        };
        return (condition.Operator, condition.Value) switch
        {
            (FilterOperator.Exists, _) => actual is not null,
            (FilterOperator.Eq, StringValue s) => actual == s.Value,
            (FilterOperator.Ne, StringValue s) => actual != s.Value,
            (FilterOperator.In, ListValue list) => list.Items.OfType<StringValue>().Any(v => v.Value == actual),
            (FilterOperator.Nin, ListValue list) => !list.Items.OfType<StringValue>().Any(v => v.Value == actual),
            _ => throw new FilterValidationException(condition.Field.WireName, $"Operator {condition.Operator} is not supported here yet."),
        };
    }
}
