namespace Mem0.Core.Search;

/// <summary>
/// Reciprocal rank fusion: each list contributes 1/(k + rank) per item (rank from 1). Robust to the lists'
/// incomparable score scales, which is why hybrid search fuses ranks rather than scores.
/// </summary>
public static class ReciprocalRankFusion
{
    public const int DefaultK = 60;

    /// <summary>Fuses ranked lists of keys, best first; ties keep the order of first appearance.</summary>
    public static IReadOnlyList<TKey> Fuse<TKey>(IEnumerable<IReadOnlyList<TKey>> rankings, int k = DefaultK)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(rankings);
        var scores = new Dictionary<TKey, (double Score, int FirstSeen)>();
        var seen = 0;
        foreach (var ranking in rankings)
        {
            for (var i = 0; i < ranking.Count; i++)
            {
                var contribution = 1.0 / (k + i + 1);
                scores[ranking[i]] = scores.TryGetValue(ranking[i], out var current)
                    ? (current.Score + contribution, current.FirstSeen)
                    : (contribution, seen++);
            }
        }

        return scores
            .OrderByDescending(pair => pair.Value.Score)
            .ThenBy(pair => pair.Value.FirstSeen)
            .Select(pair => pair.Key)
            .ToList();
    }
}
