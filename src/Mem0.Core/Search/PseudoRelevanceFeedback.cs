namespace Mem0.Core.Search;

/// <summary>
/// Query expansion from the best first-pass hits (pseudo-relevance feedback): words the top few memories share and
/// the rest of the store rarely uses are searched for as a low-weight extra keyword leg. A question asks in its own
/// words ("What books has she read?"); the memories that answer it often share words with the one the first pass
/// found ("reading", the title) that the question never said.
/// </summary>
public static class PseudoRelevanceFeedback
{
    /// <summary>How many of the best first-pass hits lend their words.</summary>
    public const int Documents = 3;

    /// <summary>At most this many words of the feedback memories are considered.</summary>
    public const int MaxCandidates = 12;

    /// <summary>At most this many words are added.</summary>
    public const int MaxTerms = 5;

    /// <summary>
    /// Keyword terms of <paramref name="texts"/> (best first) that the query does not already use, each weighted by the
    /// ranks of the texts holding it (1 for the best, 1/2 for the next, ...), the <see cref="MaxCandidates"/> heaviest
    /// (longer words first among equals: they tend to be the rarer ones). Short and numeric words are left out.
    /// </summary>
    public static IReadOnlyList<(string Term, double Weight)> CandidateTerms(IReadOnlyList<string> texts, IReadOnlyList<string> queryTerms)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(queryTerms);
        var query = queryTerms.ToHashSet(StringComparer.Ordinal);
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var rank = 0; rank < texts.Count; rank++)
        {
            foreach (var term in SearchText.KeywordTerms(texts[rank]))
            {
                if (term.Length >= 3 && !term.All(char.IsDigit) && !query.Contains(term))
                {
                    weights[term] = weights.GetValueOrDefault(term) + (1.0 / (rank + 1));
                }
            }
        }

        // Each candidate costs a document count in the store: the best-placed words are counted, not all.
        return weights
            .OrderByDescending(p => p.Value)
            .ThenByDescending(p => p.Key.Length)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(MaxCandidates)
            .Select(p => (p.Key, p.Value))
            .ToList();
    }

    /// <summary>
    /// The best <see cref="MaxTerms"/> candidates by weight × IDF over <paramref name="total"/> memories, given each
    /// candidate's document count. A word only the feedback memory itself holds (count 1) finds nothing new; a word in
    /// more than a tenth of the memories is too common to point anywhere.
    /// </summary>
    public static IReadOnlyList<string> Choose(IReadOnlyList<(string Term, double Weight)> candidates, long total, IReadOnlyList<long> documentCounts)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(documentCounts);
        return candidates
            .Select((candidate, i) => (candidate.Term, Count: documentCounts[i], candidate.Weight))
            .Where(c => c.Count >= 2 && c.Count * 10 <= total)
            .Select(c => (c.Term, Score: c.Weight * Math.Log((total - c.Count + 0.5) / (c.Count + 0.5))))
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Term, StringComparer.Ordinal)
            .Take(MaxTerms)
            .Select(c => c.Term)
            .ToList();
    }
}
