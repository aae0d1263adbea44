using Mem0.Core.Memories;

namespace Mem0.Core.Filters;

/// <summary>Helpers for the scope-id part of filters: the "positively scoped" rule and building scope filters.</summary>
public static class FilterScopes
{
    /// <summary>
    /// True when every memory the filter can match must carry a given scope id: an <c>eq</c>, <c>in</c> or <c>*</c>
    /// condition on user/agent/app/run id that is required by the filter (an AND member, or present in every OR
    /// branch). Conditions only under <c>NOT</c> never count.
    /// </summary>
    public static bool HasPositiveScope(FilterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node switch
        {
            ConditionFilter { Field.IsScopeId: true } condition => condition.Operator switch
            {
                FilterOperator.Eq => condition.Value is StringValue,
                FilterOperator.In => condition.Value is ListValue { Items.Count: > 0 } list && list.Items.All(i => i is StringValue),
                FilterOperator.Exists => true,
                _ => false,
            },
            AndFilter and => and.Children.Any(HasPositiveScope),
            OrFilter or => or.Children.Count > 0 && or.Children.All(HasPositiveScope),
            _ => false,
        };
    }

    /// <summary>An AND of <c>eq</c> conditions for the non-null ids of <paramref name="scope"/>.</summary>
    public static FilterNode ForScope(MemoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var conditions = new List<FilterNode>(4);
        Add(conditions, FilterFieldKind.UserId, scope.UserId);
        Add(conditions, FilterFieldKind.AgentId, scope.AgentId);
        Add(conditions, FilterFieldKind.AppId, scope.AppId);
        Add(conditions, FilterFieldKind.RunId, scope.RunId);
        return And([.. conditions]);
    }

    /// <summary>AND of <paramref name="nodes"/>, flattening nested ANDs; a single node is returned as is.</summary>
    public static FilterNode And(params FilterNode[] nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var children = new List<FilterNode>();
        foreach (var node in nodes)
        {
            ArgumentNullException.ThrowIfNull(node);
            if (node is AndFilter and)
            {
                children.AddRange(and.Children);
            }
            else
            {
                children.Add(node);
            }
        }

        return children.Count switch
        {
            0 => FilterNode.All,
            1 => children[0],
            _ => new AndFilter(children),
        };
    }

    /// <summary>
    /// Exactly this scope: every set id equal and every unset id absent. Adds only reconcile against
    /// memories of their own scope, which is also the unit the scope lock serializes.
    /// </summary>
    public static FilterNode Exact(MemoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return new AndFilter(
        [
            EqualOrAbsent(FilterFieldKind.UserId, scope.UserId),
            EqualOrAbsent(FilterFieldKind.AgentId, scope.AgentId),
            EqualOrAbsent(FilterFieldKind.AppId, scope.AppId),
            EqualOrAbsent(FilterFieldKind.RunId, scope.RunId),
        ]);
    }

    /// <summary>Every memory owned by the entity.</summary>
    public static FilterNode Entity(EntityType type, string name) =>
        new ConditionFilter(FilterField.Of(FieldOf(type)), FilterOperator.Eq, new StringValue(name));

    private static FilterFieldKind FieldOf(EntityType type) => type switch
    {
        EntityType.User => FilterFieldKind.UserId,
        EntityType.Agent => FilterFieldKind.AgentId,
        EntityType.App => FilterFieldKind.AppId,
        EntityType.Run => FilterFieldKind.RunId,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static FilterNode EqualOrAbsent(FilterFieldKind kind, string? value) =>
        value is null
            ? new NotFilter(new ConditionFilter(FilterField.Of(kind), FilterOperator.Exists, FilterValue.Null))
            : new ConditionFilter(FilterField.Of(kind), FilterOperator.Eq, new StringValue(value));

    private static void Add(List<FilterNode> conditions, FilterFieldKind kind, string? value)
    {
        if (value is not null)
        {
            conditions.Add(new ConditionFilter(FilterField.Of(kind), FilterOperator.Eq, new StringValue(value)));
        }
    }
}
