using System.Globalization;
using System.Text;

namespace Mem0.Core.Filters;

/// <summary>
/// A compact, deterministic text form of a filter (e.g. <c>and(user_id eq "u", metadata.k gt 3)</c>) for logs at
/// Debug level and for tests: records holding lists do not compare by value, their text forms do.
/// </summary>
public static class FilterFormatter
{
    public static string Format(FilterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var builder = new StringBuilder();
        Append(builder, node);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, FilterNode node)
    {
        switch (node)
        {
            case AndFilter and:
                AppendGroup(builder, "and", and.Children);
                break;
            case OrFilter or:
                AppendGroup(builder, "or", or.Children);
                break;
            case NotFilter not:
                builder.Append("not(");
                Append(builder, not.Child);
                builder.Append(')');
                break;
            case ConditionFilter condition:
                builder.Append(condition.Field.WireName).Append(' ').Append(FilterParser.OperatorName(condition.Operator));
                if (condition.Operator != FilterOperator.Exists)
                {
                    builder.Append(' ');
                    AppendValue(builder, condition.Value);
                }

                break;
            default:
                builder.Append(node.GetType().Name);
                break;
        }
    }

    private static void AppendGroup(StringBuilder builder, string name, IReadOnlyList<FilterNode> children)
    {
        builder.Append(name).Append('(');
        for (var i = 0; i < children.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            Append(builder, children[i]);
        }

        builder.Append(')');
    }

    private static void AppendValue(StringBuilder builder, FilterValue value)
    {
        switch (value)
        {
            case StringValue s:
                builder.Append('"').Append(s.Value).Append('"');
                break;
            case NumberValue n:
                builder.Append(n.Value.ToString("R", CultureInfo.InvariantCulture));
                break;
            case BoolValue b:
                builder.Append(b.Value ? "true" : "false");
                break;
            case DateValue d:
                builder.Append(d.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case ListValue list:
                builder.Append('[');
                for (var i = 0; i < list.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    AppendValue(builder, list.Items[i]);
                }

                builder.Append(']');
                break;
            default:
                builder.Append("null");
                break;
        }
    }
}
