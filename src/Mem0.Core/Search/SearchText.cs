using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Mem0.Core.Search;

/// <summary>
/// How search text is cut into terms, shared by every store's keyword leg: runs of letters and digits (apostrophes
/// inside a word end it, so "Caroline's" yields "caroline"), lower-cased, English function words removed. Without the
/// stopword filter a question like "What did she do in May?" matches on "what", "did", "she" and "do" — words that
/// are in half the memories and so drown the one word that matters.
/// </summary>
public static partial class SearchText
{
    /// <summary>At most this many terms reach a full-text query (a pasted paragraph is not a search).</summary>
    public const int MaxTerms = 32;

    /// <summary>English function words and question words: frequent, and no evidence of what a query is about.</summary>
    public static FrozenSet<string> StopWords { get; } = new[]
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "done", "down", "during",
        "each", "either", "else", "ever", "every", "few", "for", "from", "further",
        "get", "gets", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his",
        "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just",
        "let", "like", "may", "me", "might", "more", "most", "much", "must", "my", "myself",
        "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "ourselves",
        "out", "over", "own", "same", "shall", "she", "should", "so", "some", "such",
        "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "upon", "us", "very",
        "was", "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will",
        "with", "would", "yet", "you", "your", "yours", "yourself", "yourselves",
        "s", "t", "d", "ll", "m", "re", "ve", "don", "didn", "doesn", "isn", "wasn", "aren", "weren", "won", "wouldn",
        "kind", "type", "thing", "things",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Lower-cased terms of <paramref name="text"/>, stopwords removed, first occurrence order, distinct.</summary>
    public static IReadOnlyList<string> KeywordTerms(string? text)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in WordPattern().Matches(text ?? ""))
        {
            var term = match.Value.ToLowerInvariant();
            if (!StopWords.Contains(term) && seen.Add(term))
            {
                terms.Add(term);
                if (terms.Count == MaxTerms)
                {
                    break;
                }
            }
        }

        return terms;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
