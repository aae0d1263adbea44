using Microsoft.Extensions.AI;

namespace Mem0.Core.Search;

/// <summary>
/// Tells an embedding generator whether it embeds a search query or a text to store. Retrieval-trained models
/// (arctic-embed, e5, bge) are asymmetric: a query gets an instruction prefix, a stored text does not, and mixing the
/// two up costs recall. The flag travels in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>, the
/// abstraction's own extension point, so generators that do not know it (OpenAI's) simply ignore it.
/// </summary>
public static class EmbeddingPurpose
{
    /// <summary>Key in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>; the value is <see cref="Query"/> or <see cref="Document"/>.</summary>
    public const string PropertyName = "mem0.embedding_purpose";

    public const string Query = "query";

    public const string Document = "document";

    /// <summary>Options marking every input of the call as a search query.</summary>
    public static EmbeddingGenerationOptions ForQuery() =>
        new() { AdditionalProperties = new AdditionalPropertiesDictionary { [PropertyName] = Query } };

    /// <summary>True when <paramref name="options"/> mark the inputs as search queries (absent means stored texts).</summary>
    public static bool IsQuery(EmbeddingGenerationOptions? options) =>
        options?.AdditionalProperties is { } properties
        && properties.TryGetValue(PropertyName, out var value)
        && string.Equals(value as string, Query, StringComparison.Ordinal);
}
