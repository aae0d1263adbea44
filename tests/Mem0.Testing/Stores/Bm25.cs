using System.Text;

namespace Mem0.Testing.Stores;

/// <summary>
/// A small Okapi BM25 scorer over an in-memory set of documents (k1 = 1.5, b = 0.75), for the in-memory
/// store (SQLite has FTS5, Cosmos DB FullTextScore). Build it over the candidate documents, then score a query against each.
/// </summary>
public sealed class Bm25
{
    public const double K1 = 1.5;
    public const double B = 0.75;

    private readonly List<Dictionary<string, int>> _termFrequencies = [];
    private readonly List<int> _lengths = [];
    private readonly Dictionary<string, int> _documentFrequencies = new(StringComparer.Ordinal);
    private long _totalLength;

    public int Count => _lengths.Count;

    /// <summary>Adds a document; its index is the order of addition.</summary>
    public int Add(string text)
    {
        var tokens = Tokenize(text);
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            frequencies[token] = frequencies.GetValueOrDefault(token) + 1;
        }

        foreach (var term in frequencies.Keys)
        {
            _documentFrequencies[term] = _documentFrequencies.GetValueOrDefault(term) + 1;
        }

        _termFrequencies.Add(frequencies);
        _lengths.Add(tokens.Count);
        _totalLength += tokens.Count;
        return _lengths.Count - 1;
    }

    /// <summary>BM25 score of document <paramref name="index"/> for the query (0 when no term matches).</summary>
    public double Score(IReadOnlyList<string> queryTerms, int index)
    {
        ArgumentNullException.ThrowIfNull(queryTerms);
        if (Count == 0)
        {
            return 0;
        }

        var averageLength = Math.Max(1.0, (double)_totalLength / Count);
        var frequencies = _termFrequencies[index];
        var length = _lengths[index];
        var score = 0.0;
        foreach (var term in queryTerms.Distinct(StringComparer.Ordinal))
        {
            if (!frequencies.TryGetValue(term, out var tf))
            {
                continue;
            }

            var df = _documentFrequencies[term];
            var idf = Math.Log(((Count - df + 0.5) / (df + 0.5)) + 1.0);
            score += idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B + (B * length / averageLength))));
        }

        return score;
    }

    /// <summary>Indexes of documents with a positive score, best first (ties by index).</summary>
    public IReadOnlyList<int> Rank(string query)
    {
        var terms = Tokenize(query);
        var scored = new List<(int Index, double Score)>();
        for (var i = 0; i < Count; i++)
        {
            var score = Score(terms, i);
            if (score > 0)
            {
                scored.Add((i, score));
            }
        }

        return scored.OrderByDescending(s => s.Score).ThenBy(s => s.Index).Select(s => s.Index).ToList();
    }

    /// <summary>Lower-cased runs of letters and digits; apostrophes inside words are dropped ("don't" → "dont").</summary>
    public static IReadOnlyList<string> Tokenize(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return tokens;
        }

        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (c is '\'' or '\u2019' && current.Length > 0)
            {
                continue;
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }
}
