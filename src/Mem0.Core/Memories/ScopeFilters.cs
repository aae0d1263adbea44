using Mem0.Core.Filters;

namespace Mem0.Core.Memories;

/// <summary>Builds filters that select the memories of a scope.</summary>
public static class ScopeFilters
{
    /// <summary>
    /// Exactly this scope: every set id equal and every unset id absent. Adds only reconcile against
    /// memories of their own scope, which is also the unit the scope lock serializes.
    /// </summary>
    public static FilterNode Exact(MemoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var children = new List<FilterNode>(4);
        Add(children, FilterFieldKind.UserId, scope.UserId);
        Add(children, FilterFieldKind.AgentId, scope.AgentId);
        Add(children, FilterFieldKind.AppId, scope.AppId);
        Add(children, FilterFieldKind.RunId, scope.RunId);
        return new AndFilter(children);
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

    private static void Add(List<FilterNode> children, FilterFieldKind kind, string? value)
    {
        var field = FilterField.Of(kind);
        children.Add(value is null
            ? new NotFilter(new ConditionFilter(field, FilterOperator.Exists, FilterValue.Null))
            : new ConditionFilter(field, FilterOperator.Eq, new StringValue(value)));
    }
}
