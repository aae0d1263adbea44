using System.Globalization;
using System.Text;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Microsoft.Data.Sqlite;

namespace Mem0.Local.Storage;

/// <summary>
/// Compiles a <see cref="FilterNode"/> to a parameterized SQL predicate over the <c>memories</c> table (alias
/// <c>m</c>) with the same semantics as <see cref="FilterEvaluator"/>. Values only ever travel as parameters.
/// Every emitted predicate is 0/1, never NULL, so NOT behaves as in the evaluator.
/// </summary>
internal sealed class SqliteFilterCompiler
{
    private readonly SqliteCommand _command;
    private int _next;

    private SqliteFilterCompiler(SqliteCommand command) => _command = command;

    /// <summary>Returns the SQL predicate and adds its parameters (named <c>$f0, $f1, ...</c>) to <paramref name="command"/>.</summary>
    public static string Compile(FilterNode node, SqliteCommand command)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(command);
        return new SqliteFilterCompiler(command).Node(node);
    }

    private string Node(FilterNode node) => node switch
    {
        AndFilter { Children.Count: 0 } => "1",
        AndFilter and => "(" + string.Join(" AND ", and.Children.Select(Node)) + ")",
        OrFilter { Children.Count: 0 } => "0",
        OrFilter or => "(" + string.Join(" OR ", or.Children.Select(Node)) + ")",
        NotFilter not => "(NOT " + Node(not.Child) + ")",
        ConditionFilter condition => Condition(condition),
        _ => throw new FilterValidationException("filters", $"Unsupported filter node {node.GetType().Name}."),
    };

    private string Condition(ConditionFilter c)
    {
        // An empty list: "in nothing" matches nothing, "not in nothing" everything (as the evaluator's Any()).
        if (c.Value is ListValue { Items.Count: 0 } && c.Operator is FilterOperator.In or FilterOperator.Nin)
        {
            return c.Operator == FilterOperator.In ? "0" : "1";
        }

        return Field(c);
    }

    private string Field(ConditionFilter c) => c.Field.Kind switch
    {
        FilterFieldKind.UserId => StringColumn(c, "m.user_id"),
        FilterFieldKind.AgentId => StringColumn(c, "m.agent_id"),
        FilterFieldKind.AppId => StringColumn(c, "m.app_id"),
        FilterFieldKind.RunId => StringColumn(c, "m.run_id"),
        FilterFieldKind.MemoryId => StringColumn(c, "m.id"),
        FilterFieldKind.Text => StringColumn(c, "m.text"),
        FilterFieldKind.CreatedAt => TimeColumn(c, "m.created_at"),
        FilterFieldKind.UpdatedAt => TimeColumn(c, "m.updated_at"),
        FilterFieldKind.Categories => Categories(c),
        FilterFieldKind.Metadata => Metadata(c),
        _ => throw Unsupported(c),
    };

    private string StringColumn(ConditionFilter c, string column)
    {
        switch (c.Operator)
        {
            case FilterOperator.Exists:
                return $"({column} IS NOT NULL)";
            case FilterOperator.Eq when c.Value is NullValue:
                return $"({column} IS NULL)";
            case FilterOperator.Ne when c.Value is NullValue:
                return $"({column} IS NOT NULL)";
            case FilterOperator.Eq:
                return $"IFNULL({column} = {Param(Text(c, c.Value))}, 0)";
            case FilterOperator.Ne:
                return $"({column} IS NULL OR {column} <> {Param(Text(c, c.Value))})";
            case FilterOperator.In:
                return $"IFNULL({column} IN ({ParamList(c, v => Text(c, v))}), 0)";
            case FilterOperator.Nin:
                return $"({column} IS NULL OR {column} NOT IN ({ParamList(c, v => Text(c, v))}))";
            case FilterOperator.Contains:
                return $"IFNULL(instr({column}, {Param(Text(c, c.Value))}) > 0, 0)";
            case FilterOperator.IContains:
                // lower() folds ASCII only; the evaluator folds all of Unicode. Good enough for ids and keywords.
                return $"IFNULL(instr(lower({column}), lower({Param(Text(c, c.Value))})) > 0, 0)";
            default:
                throw Unsupported(c);
        }
    }

    private string TimeColumn(ConditionFilter c, string column)
    {
        switch (c.Operator)
        {
            case FilterOperator.Exists:
                return "1";
            case FilterOperator.In or FilterOperator.Nin:
                {
                    var list = ParamList(c, v => v is DateValue d ? d.Value.UtcTicks : throw Unsupported(c));
                    return c.Operator == FilterOperator.In ? $"({column} IN ({list}))" : $"({column} NOT IN ({list}))";
                }
        }

        if (c.Value is not DateValue date)
        {
            throw Unsupported(c);
        }

        return $"({column} {Comparison(c)} {Param(date.Value.UtcTicks)})";
    }

    private string Categories(ConditionFilter c)
    {
        string Has(string predicate) => $"EXISTS (SELECT 1 FROM json_each(m.categories) cat WHERE {predicate})";

        switch (c.Operator)
        {
            case FilterOperator.Exists:
                return "(json_array_length(m.categories) > 0)";
            case FilterOperator.Eq or FilterOperator.Contains or FilterOperator.IContains when c.Value is NullValue:
                return "(json_array_length(m.categories) = 0)";
            case FilterOperator.Ne when c.Value is NullValue:
                return "(json_array_length(m.categories) > 0)";
            case FilterOperator.Eq or FilterOperator.Contains or FilterOperator.IContains:
                return Has($"lower(cat.value) = lower({Param(Text(c, c.Value))})");
            case FilterOperator.Ne:
                return "(NOT " + Has($"lower(cat.value) = lower({Param(Text(c, c.Value))})") + ")";
            case FilterOperator.In:
                return Has($"lower(cat.value) IN ({LowerParamList(c)})");
            case FilterOperator.Nin:
                return "(NOT " + Has($"lower(cat.value) IN ({LowerParamList(c)})") + ")";
            default:
                throw Unsupported(c);
        }
    }

    private string Metadata(ConditionFilter c)
    {
        var path = Param(JsonPath(c));
        var type = $"json_type(m.metadata, {path})";
        var value = $"json_extract(m.metadata, {path})";
        var present = $"IFNULL({type} <> 'null', 0)";

        switch (c.Operator)
        {
            case FilterOperator.Exists:
                return present;
            case FilterOperator.Eq when c.Value is NullValue:
                return $"(NOT {present})";
            case FilterOperator.Ne when c.Value is NullValue:
                return present;
            case FilterOperator.Eq:
                return JsonEquals(type, value, c.Value, c);
            case FilterOperator.Ne:
                return $"(NOT {JsonEquals(type, value, c.Value, c)})";
            case FilterOperator.In:
                return "(" + string.Join(" OR ", Items(c).Select(item => JsonEquals(type, value, item, c)).DefaultIfEmpty("0")) + ")";
            case FilterOperator.Nin:
                return "(NOT (" + string.Join(" OR ", Items(c).Select(item => JsonEquals(type, value, item, c)).DefaultIfEmpty("0")) + "))";
            case FilterOperator.Contains or FilterOperator.IContains:
                {
                    var ignoreCase = c.Operator == FilterOperator.IContains;
                    var needle = c.Value is StringValue s ? Param(s.Value) : null;
                    var inText = needle is null
                        ? "0"
                        : ignoreCase ? $"instr(lower({value}), lower({needle})) > 0" : $"instr({value}, {needle}) > 0";
                    var element = ignoreCase
                        ? needle is null ? "0" : $"e.type = 'text' AND lower(e.value) = lower({needle})"
                        : JsonEquals("e.type", "e.value", c.Value, c);
                    return $"IFNULL(CASE {type} WHEN 'text' THEN {inText} WHEN 'array' THEN EXISTS (SELECT 1 FROM json_each(m.metadata, {path}) e WHERE {element}) ELSE 0 END, 0)";
                }

            case FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte:
                {
                    var op = Comparison(c);
                    var text = Param(ValueText(c));
                    var numeric = c.Value is NumberValue n
                        ? $"WHEN {type} IN ('integer', 'real') THEN {value} {op} {Param(n.Value)} "
                        : "";

                    // Not both numbers: compare text forms, as the evaluator does (json_type is the text of a boolean).
                    return $"IFNULL(CASE {numeric}WHEN {type} IN ('true', 'false') THEN {type} {op} {text} " +
                        $"WHEN {type} IN ('text', 'integer', 'real') THEN CAST({value} AS TEXT) {op} {text} ELSE 0 END, 0)";
                }

            default:
                throw Unsupported(c);
        }
    }

    private string JsonEquals(string type, string value, FilterValue expected, ConditionFilter c) => expected switch
    {
        StringValue s => $"IFNULL({type} = 'text' AND {value} = {Param(s.Value)}, 0)",
        NumberValue n => $"IFNULL({type} IN ('integer', 'real') AND {value} = {Param(n.Value)}, 0)",
        BoolValue b => b.Value ? $"IFNULL({type} = 'true', 0)" : $"IFNULL({type} = 'false', 0)",
        NullValue => $"IFNULL({type} = 'null', 0)",
        _ => throw Unsupported(c),
    };

    private static string JsonPath(ConditionFilter c)
    {
        var builder = new StringBuilder("$");
        foreach (var key in c.Field.MetadataPath)
        {
            if (key.Contains('"', StringComparison.Ordinal))
            {
                throw new FilterValidationException("filters." + c.Field.WireName, "Metadata keys containing '\"' cannot be filtered on.");
            }

            builder.Append(".\"").Append(key).Append('"');
        }

        return builder.ToString();
    }

    private static string Comparison(ConditionFilter c) => c.Operator switch
    {
        FilterOperator.Eq => "=",
        FilterOperator.Ne => "<>",
        FilterOperator.Gt => ">",
        FilterOperator.Gte => ">=",
        FilterOperator.Lt => "<",
        FilterOperator.Lte => "<=",
        _ => throw Unsupported(c),
    };

    private static string ValueText(ConditionFilter c) => c.Value switch
    {
        StringValue s => s.Value,
        NumberValue n => n.Value.ToString(CultureInfo.InvariantCulture),
        BoolValue b => b.Value ? "true" : "false",
        _ => throw Unsupported(c),
    };

    private static string Text(ConditionFilter c, FilterValue value) =>
        value is StringValue s ? s.Value : throw Unsupported(c);

    private string LowerParamList(ConditionFilter c) =>
        string.Join(", ", Items(c).Select(item => $"lower({Param(Text(c, item))})"));

    private static IReadOnlyList<FilterValue> Items(ConditionFilter c) =>
        c.Value is ListValue list ? list.Items : throw Unsupported(c);

    private string ParamList(ConditionFilter c, Func<FilterValue, object> convert)
    {
        var items = Items(c);
        return items.Count == 0 ? "NULL" : string.Join(", ", items.Select(item => Param(convert(item))));
    }

    private string Param(object value)
    {
        var name = "$f" + _next.ToString(CultureInfo.InvariantCulture);
        _next++;
        _command.Parameters.AddWithValue(name, value);
        return name;
    }

    private static FilterValidationException Unsupported(ConditionFilter c) =>
        new("filters." + c.Field.WireName,
            $"Operator '{FilterFormatter.Format(c)}' cannot be evaluated by the SQLite store.");
}
