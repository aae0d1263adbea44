using System.Text.Json;
using Mem0.Core.Filters;

namespace Mem0.Core.Http;

/// <summary>The HTTP layer's door to the filter grammar (parsing and the positive-scope rule live in Filters).</summary>
internal static class HttpFilters
{
    public static FilterNode Parse(JsonElement filters) => FilterParser.Parse(filters);

    public static bool HasPositiveScope(FilterNode node) => FilterScopes.HasPositiveScope(node);

    /// <summary>A condition on one scope id; <c>*</c> means "any value".</summary>
    public static FilterNode ScopeCondition(FilterFieldKind kind, string value) =>
        value == "*"
            ? new ConditionFilter(FilterField.Of(kind), FilterOperator.Exists, FilterValue.Null)
            : new ConditionFilter(FilterField.Of(kind), FilterOperator.Eq, new StringValue(value));
}
