using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Mem0.Core.Search;

/// <summary>
/// A deterministic extractor of named entities (people, places, things): runs of capitalised words, lower-cased.
/// English capitalises names, so this finds most of them without a model; what it gets wrong is capitalised common
/// words, which only cost precision of a ranking signal, never a result. Stored texts and queries are read
/// differently: in a stored text a capitalised first word counts ("Caroline: I went ...", the speaker of a turn), in
/// a query it does not ("Where did ..."), because a query names its entities mid-sentence and a false query entity
/// would favour the wrong memories.
/// </summary>
public static partial class EntityExtractor
{
    /// <summary>At most this many entities are kept per text.</summary>
    public const int MaxEntities = 16;

    /// <summary>Capitalised words that are almost never names: greetings, interjections, pronoun-like openers, calendar words.</summary>
    private static readonly FrozenSet<string> NotEntities = new[]
    {
        "hey", "hi", "hello", "oh", "wow", "yeah", "yes", "yep", "no", "nope", "ok", "okay", "thanks", "thank", "sure", "well",
        "great", "good", "nice", "cool", "awesome", "glad", "sorry", "please", "haha", "lol", "aww", "ah", "um", "hmm",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
        "today", "tomorrow", "yesterday", "tonight",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Entities of a text being stored: every run of capitalised words that is not a stopword or filler.</summary>
    public static IReadOnlyList<string> FromStoredText(string? text) => Extract(text, includeSentenceStart: true);

    /// <summary>Entities a query names: capitalised runs not at the start of a sentence.</summary>
    public static IReadOnlyList<string> FromQuery(string? text) => Extract(text, includeSentenceStart: false);

    /// <summary>The words of entities, for matching "Caroline" against "Caroline Smith".</summary>
    public static IReadOnlySet<string> Words(IEnumerable<string> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entity in entities)
        {
            foreach (var word in entity.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                words.Add(word);
            }
        }

        return words;
    }

    private static List<string> Extract(string? text, bool includeSentenceStart)
    {
        var result = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var run = new List<string>();
        var sentenceStart = true;
        var previousEnd = 0;
        foreach (Match match in WordPattern().Matches(text))
        {
            // Punctuation between words that ends a sentence or clause (". ! ? : ; newline, quotes) makes the next word a start.
            var gap = text.AsSpan(previousEnd, match.Index - previousEnd);
            if (gap.IndexOfAny(".!?:;\n\"\u201c") >= 0)
            {
                Flush(run, result, seen);
                sentenceStart = true;
            }

            previousEnd = match.Index + match.Length;
            var word = StripPossessive(match.Value);
            var lower = word.ToLowerInvariant();
            var capitalised = word.Length > 1 && char.IsUpper(word[0]);
            var counts = capitalised
                && (includeSentenceStart || !sentenceStart)
                && !SearchText.StopWords.Contains(lower)
                && !NotEntities.Contains(lower);
            if (counts)
            {
                run.Add(lower);
            }
            else
            {
                Flush(run, result, seen);
            }

            sentenceStart = false;
            if (result.Count >= MaxEntities)
            {
                return result;
            }
        }

        Flush(run, result, seen);
        return result.Count > MaxEntities ? result.GetRange(0, MaxEntities) : result;
    }

    private static string StripPossessive(string word) =>
        word.Length > 2 && (word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("\u2019s", StringComparison.Ordinal)) ? word[..^2] : word;

    private static void Flush(List<string> run, List<string> result, HashSet<string> seen)
    {
        if (run.Count == 0)
        {
            return;
        }

        var entity = string.Join(' ', run);
        if (seen.Add(entity))
        {
            result.Add(entity);
        }

        run.Clear();
    }

    // Words may carry inner apostrophes or hyphens ("O'Neil", "Jean-Luc"); a possessive "'s" is not part of the name.
    [GeneratedRegex(@"\p{L}[\p{L}\p{N}]*(?:[-'\u2019]\p{L}[\p{L}\p{N}]*)*")]
    private static partial Regex WordPattern();
}
