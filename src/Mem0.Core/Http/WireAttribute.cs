using System.Text.Json;
using System.Text.Json.Serialization;
using Mem0.Core.Memories;
using Mem0.Core.Projects;

namespace Mem0.Core.Http;

/// <summary>The lenient shapes a wire field may take (<see cref="WireValues"/> says what each accepts).</summary>
internal enum WireShape
{
    LenientString,
    StrictString,
    LenientBool,
    StrictBool,
    LenientInt,
    LenientDouble,
    Object,
    Date,
    Timestamp,
    Messages,
    CustomCategories,

    /// <summary>A setting to change: absent leaves it (null property), JSON null clears it, a string sets it.</summary>
    ChangeString,

    /// <summary>Categories to change: absent leaves them, JSON null clears them.</summary>
    ChangeCategories,
}

/// <summary>
/// Binds one property of a typed request record to the platform's lenient shape for it, with errors that name the wire
/// field: <c>[JsonPropertyName("infer"), Wire(WireShape.StrictBool, "infer")] public bool? Infer { get; init; }</c>.
/// JSON null (and an absent field) leave the property null, as the platform treats them.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class WireAttribute(WireShape shape, string field) : JsonConverterAttribute
{
    /// <summary>Options for binding request records: case-sensitive names, unknown fields ignored, bodies already depth-checked.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        MaxDepth = RequestLimits.MaxBodyDepth + 1,
        RespectNullableAnnotations = false,
    };

    public override JsonConverter? CreateConverter(Type typeToConvert) => shape switch
    {
        WireShape.LenientString => new Converter<string>(field, WireValues.LenientString),
        WireShape.StrictString => new Converter<string>(field, WireValues.StrictString),
        WireShape.LenientBool => new Converter<bool?>(field, (v, f) => WireValues.LenientBool(v, f)),
        WireShape.StrictBool => new Converter<bool?>(field, (v, f) => WireValues.StrictBool(v, f)),
        WireShape.LenientInt => new Converter<int?>(field, (v, f) => WireValues.LenientInt(v, f)),
        WireShape.LenientDouble => new Converter<double?>(field, (v, f) => WireValues.LenientDouble(v, f)),
        WireShape.Object => new Converter<JsonElement?>(field, (v, f) => WireValues.Object(v, f)),
        WireShape.Date => new Converter<DateOnly?>(field, (v, f) => WireValues.Date(v, f)),
        WireShape.Timestamp => new Converter<DateTimeOffset?>(field, (v, f) => WireValues.Timestamp(v, f)),
        WireShape.Messages => new Converter<IReadOnlyList<InputMessage>>(field, WireValues.Messages),
        WireShape.CustomCategories => new Converter<IReadOnlyList<CustomCategory>>(field, WireValues.CustomCategories),
        WireShape.ChangeString => new ChangeConverter<string?>(field, WireValues.LenientString),
        WireShape.ChangeCategories => new ChangeConverter<IReadOnlyList<CustomCategory>?>(field, WireValues.CustomCategories),
        _ => throw new ArgumentOutOfRangeException(nameof(typeToConvert), shape, "Unknown wire shape."),
    };

    /// <summary>Reads the value as a JSON element and hands it to the shape's reader; request records are never written.</summary>
    private sealed class Converter<T>(string field, Func<JsonElement, string, T> read) : JsonConverter<T>
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return default;
            }

            using var document = JsonDocument.ParseValue(ref reader);
            return read(document.RootElement, field);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            throw new NotSupportedException("Request records are read, never written.");
    }

    /// <summary>Reads a present value, null included, as a <see cref="Change{T}"/>; an absent one never reaches it.</summary>
    private sealed class ChangeConverter<T>(string field, Func<JsonElement, string, T> read) : JsonConverter<Change<T>?>
    {
        public override bool HandleNull => true;

        public override Change<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return new Change<T>(default!);
            }

            using var document = JsonDocument.ParseValue(ref reader);
            return new Change<T>(read(document.RootElement, field));
        }

        public override void Write(Utf8JsonWriter writer, Change<T>? value, JsonSerializerOptions options) =>
            throw new NotSupportedException("Request records are read, never written.");
    }
}
