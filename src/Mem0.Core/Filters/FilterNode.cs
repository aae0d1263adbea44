namespace Mem0.Core.Filters;

/// <summary>
/// The filter AST: one grammar (contract §5) parsed once by <c>FilterParser</c> and compiled per store
/// (SQLite SQL, Cosmos SQL, the in-memory evaluator). Stores must reject — never ignore — what they cannot evaluate.
/// </summary>
public abstract record FilterNode
{
    /// <summary>Matches everything (an empty AND).</summary>
    public static FilterNode All { get; } = new AndFilter([]);
}

public sealed record AndFilter(IReadOnlyList<FilterNode> Children) : FilterNode;

public sealed record OrFilter(IReadOnlyList<FilterNode> Children) : FilterNode;

public sealed record NotFilter(FilterNode Child) : FilterNode;

public sealed record ConditionFilter(FilterField Field, FilterOperator Operator, FilterValue Value) : FilterNode;

public enum FilterOperator
{
    Eq,
    Ne,
    In,
    Nin,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
    IContains,

    /// <summary>The <c>"*"</c> wildcard: the field is present and not null. Value is <see cref="FilterValue.Null"/>.</summary>
    Exists,
}

public enum FilterFieldKind
{
    UserId,
    AgentId,
    AppId,
    RunId,
    CreatedAt,
    UpdatedAt,
    Categories,

    /// <summary><c>metadata.a.b</c>: <see cref="FilterField.MetadataPath"/> holds the keys.</summary>
    Metadata,

    /// <summary>Substring match on the memory text (<c>keywords</c> / <c>text</c>).</summary>
    Text,

    /// <summary>Memory ids (<c>memory_ids</c>).</summary>
    MemoryId,
}

public sealed record FilterField(FilterFieldKind Kind, IReadOnlyList<string> MetadataPath)
{
    public static FilterField Of(FilterFieldKind kind) => new(kind, []);

    public static FilterField Metadata(params string[] path) => new(FilterFieldKind.Metadata, path);

    /// <summary>The wire name of the field, e.g. <c>user_id</c> or <c>metadata.topic</c>.</summary>
    public string WireName => Kind switch
    {
        FilterFieldKind.UserId => "user_id",
        FilterFieldKind.AgentId => "agent_id",
        FilterFieldKind.AppId => "app_id",
        FilterFieldKind.RunId => "run_id",
        FilterFieldKind.CreatedAt => "created_at",
        FilterFieldKind.UpdatedAt => "updated_at",
        FilterFieldKind.Categories => "categories",
        FilterFieldKind.Metadata => "metadata." + string.Join('.', MetadataPath),
        FilterFieldKind.Text => "keywords",
        FilterFieldKind.MemoryId => "memory_ids",
        _ => Kind.ToString(),
    };

    public bool IsScopeId => Kind is FilterFieldKind.UserId or FilterFieldKind.AgentId or FilterFieldKind.AppId or FilterFieldKind.RunId;
}

/// <summary>A typed filter operand. Time fields are parsed to <see cref="DateValue"/> by the parser.</summary>
public abstract record FilterValue
{
    public static FilterValue Null { get; } = new NullValue();
}

public sealed record StringValue(string Value) : FilterValue;

public sealed record NumberValue(double Value) : FilterValue;

public sealed record BoolValue(bool Value) : FilterValue;

public sealed record DateValue(DateTimeOffset Value) : FilterValue;

public sealed record NullValue : FilterValue;

public sealed record ListValue(IReadOnlyList<FilterValue> Items) : FilterValue;
