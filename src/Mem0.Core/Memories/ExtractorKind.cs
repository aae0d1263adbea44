namespace Mem0.Core.Memories;

/// <summary>
/// Which extractor produced an add's outcome. Strings, not an enum, because they are wire values: every item of an add
/// event's results carries one (<c>"extractor"</c>), so a client can tell inferred facts from stand-ins.
/// </summary>
public static class ExtractorKind
{
    /// <summary>A language model extracted and reconciled the facts.</summary>
    public const string Llm = "llm";

    /// <summary>No language model is configured: the deterministic heuristic splitter stood in.</summary>
    public const string Heuristic = "heuristic";

    /// <summary><c>infer: false</c>: each message was stored as it was sent.</summary>
    public const string Verbatim = "verbatim";
}
