namespace Mem0.Core.Search;

/// <summary>The rankings a search fuses. The default search uses all of them; benchmarks and tests switch them off one by one.</summary>
[Flags]
public enum SearchSignals
{
    None = 0,

    /// <summary>Cosine similarity of the query and memory embeddings.</summary>
    Vector = 1,

    /// <summary>BM25 / full-text rank of the query's terms (stopwords removed), within the caller's filter.</summary>
    Keyword = 2,

    /// <summary>Memories mentioning an entity (person, place, thing) the query names.</summary>
    Entity = 4,

    /// <summary>Memories created in the period the query names ("in July 2023", "last week").</summary>
    Time = 8,

    /// <summary>Memories stored right before or after a strong hit in its scope (the rest of the conversation it belongs to).</summary>
    Neighbour = 16,

    All = Vector | Keyword | Entity | Time | Neighbour,
}
