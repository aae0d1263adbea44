using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Http;

namespace Mem0.Core.Mcp;

/// <summary>The filter of a search or list tool call: its scope ids and <c>filters</c>, with the connection's defaults.</summary>
internal static class McpScopeFilter
{
    /// <summary>
    /// ANDs the scope ids with the parsed <paramref name="filters"/>. A scope id comes from its argument, else from the
    /// connection's default unless <paramref name="filters"/> already conditions that id (the call's own filter wins).
    /// The result must positively scope at least one id, as on the HTTP API.
    /// </summary>
    public static FilterNode Build(McpCaller who, JsonElement? filters, string? userId, string? agentId, string? appId, string? runId)
    {
        ArgumentNullException.ThrowIfNull(who);
        FilterNode? parsed = null;
        if (filters is { ValueKind: not JsonValueKind.Null } element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new ValidationException("filters", "'filters' must be a JSON object in the Mem0 filter grammar.");
            }

            parsed = FilterParser.Parse(element);
        }

        var named = new HashSet<FilterFieldKind>();
        if (parsed is not null)
        {
            CollectScopeFields(parsed, named);
        }

        var conditions = new List<FilterNode>();
        Add(conditions, FilterFieldKind.UserId, userId, who.DefaultScope.UserId, named);
        Add(conditions, FilterFieldKind.AgentId, agentId, who.DefaultScope.AgentId, named);
        Add(conditions, FilterFieldKind.AppId, appId, who.DefaultScope.AppId, named);
        Add(conditions, FilterFieldKind.RunId, runId, who.DefaultScope.RunId, named);
        if (parsed is not null)
        {
            conditions.Add(parsed);
        }

        var filter = conditions.Count == 0 ? null : FilterScopes.And([.. conditions]);
        if (filter is null || !FilterScopes.HasPositiveScope(filter))
        {
            throw new ValidationException(
                "user_id",
                "Give at least one of user_id, agent_id, app_id or run_id (or 'filters' that name one), or pin a default scope on the connection (e.g. the X-Mem0-User-Id header).");
        }

        return filter;
    }

    private static void Add(List<FilterNode> conditions, FilterFieldKind kind, string? argument, string? fallback, HashSet<FilterFieldKind> namedByFilters)
    {
        var value = string.IsNullOrWhiteSpace(argument) ? null : argument.Trim();
        if (value is null && !namedByFilters.Contains(kind))
        {
            value = fallback;
        }

        if (value is not null)
        {
            conditions.Add(HttpFilters.ScopeCondition(kind, value));
        }
    }

    private static void CollectScopeFields(FilterNode node, HashSet<FilterFieldKind> kinds)
    {
        switch (node)
        {
            case ConditionFilter { Field.IsScopeId: true } condition:
                kinds.Add(condition.Field.Kind);
                break;
            case AndFilter and:
                and.Children.ToList().ForEach(c => CollectScopeFields(c, kinds));
                break;
            case OrFilter or:
                or.Children.ToList().ForEach(c => CollectScopeFields(c, kinds));
                break;
            case NotFilter not:
                CollectScopeFields(not.Child, kinds);
                break;
        }
    }
}
