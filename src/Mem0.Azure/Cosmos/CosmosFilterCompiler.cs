using System.Text;
using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;

namespace Mem0.Azure.Cosmos;

/// <summary>A compiled WHERE fragment over the alias <c>c</c> and the parameters it references.</summary>
public sealed record CosmosSqlFragment(string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters);

/// <summary>
/// Compiles the filter AST to a parameterized Cosmos SQL predicate over the memory document. Values always travel as
/// parameters; metadata keys (which Cosmos cannot parameterize as property names) are emitted as escaped string
/// literals inside <c>c.metadata["key"]</c>. Every condition is written so it yields true or false, never undefined,
/// so that NOT behaves as users expect on absent fields. Anything not evaluable throws <see cref="FilterValidationException"/>.
/// </summary>
public sealed class CosmosFilterCompiler
{
    private readonly string _parameterPrefix;
    private readonly List<KeyValuePair<string, object?>> _parameters = [];

    private CosmosFilterCompiler(string parameterPrefix)
    {
        _parameterPrefix = parameterPrefix;
    }

    /// <summary>Compiles <paramref name="filter"/>; parameters are named <c>@{prefix}0</c>, <c>@{prefix}1</c>, ...</summary>
    public static CosmosSqlFragment Compile(FilterNode filter, string parameterPrefix = "f")
    {
        ArgumentNullException.ThrowIfNull(filter);
        var compiler = new CosmosFilterCompiler(parameterPrefix);
        var sql = compiler.CompileNode(filter, "filters");
        return new CosmosSqlFragment(sql, compiler._parameters);
    }

    private string CompileNode(FilterNode node, string location) => node switch
    {
        AndFilter and => CompileGroup(and.Children, " AND ", "true", location + ".AND"),
        OrFilter or => CompileGroup(or.Children, " OR ", "false", location + ".OR"),

        // IIF turns an undefined inner result into false before negating it.
        NotFilter not => $"NOT IIF({CompileNode(not.Child, location + ".NOT")}, true, false)",
        ConditionFilter condition => CompileCondition(condition, location + "." + condition.Field.WireName),
        _ => throw new FilterValidationException(location, $"Unsupported filter node {node.GetType().Name}."),
    };

    private string CompileGroup(IReadOnlyList<FilterNode> children, string separator, string empty, string location)
    {
        if (children.Count == 0)
        {
            return empty;
        }

        if (children.Count == 1)
        {
            return CompileNode(children[0], location + "[0]");
        }

        var parts = children.Select((child, i) => CompileNode(child, $"{location}[{i}]"));
        return "(" + string.Join(separator, parts) + ")";
    }

    private string CompileCondition(ConditionFilter condition, string location)
    {
        var field = condition.Field;
        return field.Kind switch
        {
            FilterFieldKind.UserId => CompileScalar("c.userId", condition, location, allowRange: false, allowContains: true),
            FilterFieldKind.AgentId => CompileScalar("c.agentId", condition, location, allowRange: false, allowContains: true),
            FilterFieldKind.AppId => CompileScalar("c.appId", condition, location, allowRange: false, allowContains: true),
            FilterFieldKind.RunId => CompileScalar("c.runId", condition, location, allowRange: false, allowContains: true),
            FilterFieldKind.MemoryId => CompileScalar("c.id", condition, location, allowRange: false, allowContains: true),
            FilterFieldKind.CreatedAt => CompileScalar("c.createdAt", condition, location, allowRange: true, allowContains: false),
            FilterFieldKind.UpdatedAt => CompileScalar("c.updatedAt", condition, location, allowRange: true, allowContains: false),
            FilterFieldKind.Text => CompileScalar("c.memory", condition, location, allowRange: false, allowContains: true),
            FilterFieldKind.Categories => CompileCategories(condition, location),
            FilterFieldKind.Metadata => CompileMetadata(condition, location),
            _ => throw new FilterValidationException(location, $"The Cosmos DB store cannot filter on '{field.WireName}'."),
        };
    }

    private string CompileScalar(string path, ConditionFilter condition, string location, bool allowRange, bool allowContains)
    {
        var op = condition.Operator;
        var value = condition.Value;
        switch (op)
        {
            case FilterOperator.Exists:
                return Exists(path);
            case FilterOperator.Eq when value is NullValue:
                return $"NOT {Exists(path)}";
            case FilterOperator.Ne when value is NullValue:
                return Exists(path);
            case FilterOperator.Eq:
                return Guarded(path, $"{path} = {Add(Scalar(value, location))}");
            case FilterOperator.Ne:
                return $"(NOT {Exists(path)} OR {path} != {Add(Scalar(value, location))})";
            case FilterOperator.In:
                return Guarded(path, $"ARRAY_CONTAINS({Add(List(value, location))}, {path})");
            case FilterOperator.Nin:
                return $"(NOT {Exists(path)} OR NOT ARRAY_CONTAINS({Add(List(value, location))}, {path}))";
            case FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte when allowRange:
                return Guarded(path, $"{path} {Symbol(op)} {Add(Scalar(value, location))}");
            case FilterOperator.Contains when allowContains:
                return Guarded(path, $"CONTAINS({path}, {Add(Text(value, location))})");
            case FilterOperator.IContains when allowContains:
                return Guarded(path, $"CONTAINS({path}, {Add(Text(value, location))}, true)");
            default:
                throw Unsupported(location, op);
        }
    }

    /// <summary>Category names match whole and case-insensitively (the platform's semantics, as in FilterEvaluator).</summary>
    private string CompileCategories(ConditionFilter condition, string location)
    {
        const string Path = "c.categories";
        var value = condition.Value;
        switch (condition.Operator)
        {
            case FilterOperator.Exists:
            case FilterOperator.Ne when value is NullValue:
                return Guarded(Path, $"ARRAY_LENGTH({Path}) > 0");
            case FilterOperator.Eq or FilterOperator.Contains or FilterOperator.IContains when value is NullValue:
                return "NOT " + Guarded(Path, $"ARRAY_LENGTH({Path}) > 0");
            case FilterOperator.Eq or FilterOperator.Contains or FilterOperator.IContains:
                return HasCategory($"STRINGEQUALS(cat, {Add(Text(value, location))}, true)");
            case FilterOperator.Ne:
                return "NOT " + HasCategory($"STRINGEQUALS(cat, {Add(Text(value, location))}, true)");
            case FilterOperator.In:
                return HasCategory($"ARRAY_CONTAINS({Add(LowerList(value, location))}, LOWER(cat))");
            case FilterOperator.Nin:
                return "NOT " + HasCategory($"ARRAY_CONTAINS({Add(LowerList(value, location))}, LOWER(cat))");
            default:
                throw Unsupported(location, condition.Operator);
        }

        static string HasCategory(string predicate) =>
            $"(IS_ARRAY({Path}) AND EXISTS(SELECT VALUE cat FROM cat IN {Path} WHERE {predicate}))";
    }

    private string CompileMetadata(ConditionFilter condition, string location)
    {
        var path = MetadataPath(condition.Field.MetadataPath, location);
        var op = condition.Operator;
        var value = condition.Value;
        switch (op)
        {
            case FilterOperator.Contains:
                {
                    var p = Add(Scalar(value, location));
                    return $"((IS_STRING({path}) AND CONTAINS({path}, {p})) OR (IS_ARRAY({path}) AND ARRAY_CONTAINS({path}, {p})))";
                }

            case FilterOperator.IContains:
                {
                    var p = Add(Text(value, location));
                    return $"((IS_STRING({path}) AND CONTAINS({path}, {p}, true)) OR (IS_ARRAY({path}) AND EXISTS(SELECT VALUE v FROM v IN {path} WHERE STRINGEQUALS(v, {p}, true))))";
                }
            default:
                return CompileScalar(path, condition, location, allowRange: true, allowContains: false);
        }
    }

    private static string MetadataPath(IReadOnlyList<string> keys, string location)
    {
        if (keys.Count == 0)
        {
            throw new FilterValidationException(location, "A metadata filter needs a key, e.g. metadata.topic.");
        }

        var builder = new StringBuilder("c.metadata");
        foreach (var key in keys)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new FilterValidationException(location, "Metadata keys must not be empty.");
            }

            // JSON string escaping is valid Cosmos SQL string-literal escaping, so a key can never break out of the literal.
            builder.Append('[').Append(JsonSerializer.Serialize(key)).Append(']');
        }

        return builder.ToString();
    }

    private static string Exists(string path) => $"(IS_DEFINED({path}) AND NOT IS_NULL({path}))";

    // "x = @p" on an absent field is undefined in Cosmos SQL; the guard makes it false.
    private static string Guarded(string path, string predicate) => $"(IS_DEFINED({path}) AND {predicate})";

    private static string Symbol(FilterOperator op) => op switch
    {
        FilterOperator.Gt => ">",
        FilterOperator.Gte => ">=",
        FilterOperator.Lt => "<",
        _ => "<=",
    };

    private string Add(object? value)
    {
        var name = "@" + _parameterPrefix + _parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _parameters.Add(new(name, value));
        return name;
    }

    private static object? Scalar(FilterValue value, string location) => value switch
    {
        StringValue s => s.Value,
        NumberValue n => n.Value,
        BoolValue b => b.Value,
        DateValue d => CosmosJson.FormatTime(d.Value),
        NullValue => null,
        _ => throw new FilterValidationException(location, "Expected a single value, not a list."),
    };

    private static string Text(FilterValue value, string location) => value is StringValue s
        ? s.Value
        : throw new FilterValidationException(location, "Expected a string value.");

    private static object?[] List(FilterValue value, string location) => value switch
    {
        ListValue list => list.Items.Select(item => Scalar(item, location)).ToArray(),
        _ => [Scalar(value, location)],
    };

    private static string[] LowerList(FilterValue value, string location) =>
        List(value, location).Select(item => item as string ?? throw new FilterValidationException(location, "Categories are strings."))
            .Select(item => item.ToLowerInvariant())
            .ToArray();

    private static FilterValidationException Unsupported(string location, FilterOperator op) =>
        new(location, $"Operator '{op.ToString().ToLowerInvariant()}' is not supported for this field.");
}
