using Mem0.Core.Memories;

namespace Mem0.Core.Search;

/// <summary>What a query says beyond its embedding: its keyword terms, the entities it names, the period it names.</summary>
public sealed record QueryFeatures(IReadOnlyList<string> Terms, IReadOnlySet<string> EntityWords, TimeWindow? Time)
{
    /// <summary>Whether the query said anything beyond its vector (the neighbour signal follows only a question with words).</summary>
    public bool HasText { get; init; }

    public static QueryFeatures From(string? query, DateOnly today) => new(
        SearchText.KeywordTerms(query),
        EntityExtractor.Words(EntityExtractor.FromQuery(query)),
        TimeWindow.Parse(query, today))
    {
        HasText = !string.IsNullOrWhiteSpace(query),
    };
}

/// <summary>
/// Weighted reciprocal rank fusion of the search signals: each ranking adds weight / (k + rank) to a memory. Ranks,
/// not scores, because cosine similarity, BM25 and match counts live on unrelated scales. Entity and time are
/// re-rankings of the candidates the vector and keyword legs found (memories mentioning the named entity, memories
/// from the named period, each in semantic order), so they only ever move relevant candidates up, never add noise
/// from outside the candidate set, and cost nothing beyond the candidates. Last, the strongest candidates lend part of
/// their score to the memories stored beside them in their scope (<see cref="NeighbourSource"/>).
/// </summary>
public static class HybridRanking
{
    /// <summary>
    /// The fusion constant and weights, chosen on the LOCOMO development split (bench/ `recall --sweep`): a small k (10
    /// rather than the customary 60) lets the top of each list count more than its tail; the keyword leg weighs as much
    /// as the vector one; a named period weighs more (1.5), because a question naming a date is usually about that
    /// date. Among the values within 0.005 of the best recall, the middle ones were taken, not the peak. The feedback
    /// leg (0.15) and the neighbour boost (half the fused score of the best 3, to 2 memories on each side) were each
    /// chosen with one conversation held out in turn, and kept because every held-out conversation gained.
    /// </summary>
    public static RankingWeights DefaultWeights { get; } = new(Vector: 1.0, Keyword: 1.0, Entity: 0.5, Time: 1.5, K: 10)
    {
        Neighbour = 0.5,
        NeighbourAnchors = 3,
        NeighboursPerSide = 2,
        Feedback = 0.15,
    };

    /// <summary>How deep each leg is read for a final top k: enough that fusion can lift a hit from below the top k.</summary>
    public static int CandidateDepth(int topK) => Math.Max(topK * 5, 50);

    /// <summary>
    /// Fuses <paramref name="vectorHits"/> (best first) and <paramref name="keywordHits"/> (best first, each with its
    /// semantic score) and returns the best <paramref name="topK"/> with their semantic scores.
    /// </summary>
    /// <param name="feedbackHits">The keyword leg of the query expanded by <see cref="PseudoRelevanceFeedback"/>, best first.</param>
    /// <param name="neighbours">Finds the conversational neighbours of the strongest candidates; null when the store cannot.</param>
    public static IReadOnlyList<ScoredMemory> Fuse(
        IReadOnlyList<(MemoryRecord Memory, float Score)> vectorHits,
        IReadOnlyList<(MemoryRecord Memory, float Score)> keywordHits,
        QueryFeatures features,
        SearchSignals signals,
        int topK,
        RankingWeights? weights = null,
        NeighbourSource? neighbours = null,
        IReadOnlyList<(MemoryRecord Memory, float Score)>? feedbackHits = null)
    {
        ArgumentNullException.ThrowIfNull(vectorHits);
        ArgumentNullException.ThrowIfNull(keywordHits);
        ArgumentNullException.ThrowIfNull(features);
        var w = weights ?? DefaultWeights;
        var candidates = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        Candidate Get(MemoryRecord memory, float score)
        {
            if (!candidates.TryGetValue(memory.Id, out var candidate))
            {
                candidate = new Candidate(memory, score);
                candidates.Add(memory.Id, candidate);
            }

            return candidate;
        }

        if (signals.HasFlag(SearchSignals.Vector))
        {
            for (var rank = 0; rank < vectorHits.Count; rank++)
            {
                Get(vectorHits[rank].Memory, vectorHits[rank].Score).Fused += w.Vector / (w.K + rank + 1);
            }
        }

        if (signals.HasFlag(SearchSignals.Keyword))
        {
            for (var rank = 0; rank < keywordHits.Count; rank++)
            {
                Get(keywordHits[rank].Memory, keywordHits[rank].Score).Fused += w.Keyword / (w.K + rank + 1);
            }
        }

        if (signals.HasFlag(SearchSignals.Keyword) && feedbackHits is not null)
        {
            for (var rank = 0; rank < feedbackHits.Count; rank++)
            {
                Get(feedbackHits[rank].Memory, feedbackHits[rank].Score).Fused += w.Feedback / (w.K + rank + 1);
            }
        }

        var pool = candidates.Values.ToList();
        if (signals.HasFlag(SearchSignals.Entity) && features.EntityWords.Count > 0)
        {
            // An entity most candidates mention (the user the conversation is about) cannot tell them apart.
            var telling = features.EntityWords
                .Where(word => pool.Count(c => EntityMatches(c.Memory, word)) * 2 <= pool.Count)
                .ToHashSet(StringComparer.Ordinal);
            var mentioning = pool
                .Select(c => (Candidate: c, Matches: EntityMatches(c.Memory, telling)))
                .Where(x => x.Matches > 0)
                .OrderByDescending(x => x.Matches)
                .ThenByDescending(x => x.Candidate.Semantic)
                .Select(x => x.Candidate)
                .ToList();
            AddRanks(mentioning, w.Entity, w.K);
        }

        if (signals.HasFlag(SearchSignals.Time) && features.Time is { } window)
        {
            var inPeriod = pool.Where(c => window.Contains(c.Memory.CreatedAt)).OrderByDescending(c => c.Semantic).ToList();

            // A period that holds every candidate says nothing about which one is meant.
            if (inPeriod.Count < pool.Count)
            {
                AddRanks(inPeriod, w.Time, w.K);
            }
        }

        // A search without text is a plain similarity lookup (as the add pipeline's): no conversation to follow.
        if (signals.HasFlag(SearchSignals.Neighbour) && neighbours is not null && w.Neighbour > 0 && pool.Count > 0 && features.HasText)
        {
            AddNeighbours(pool, neighbours, w, Get);
            pool = candidates.Values.ToList();
        }

        return pool
            .OrderByDescending(c => c.Fused)
            .ThenByDescending(c => c.Semantic)
            .ThenBy(c => c.Memory.Id, StringComparer.Ordinal)
            .Take(topK)
            .Select(c => new ScoredMemory(c.Memory, Math.Clamp((double)c.Semantic, 0.0, 1.0)))
            .ToList();
    }

    /// <summary>How many of the query's entity words the memory's entities contain.</summary>
    public static int EntityMatches(MemoryRecord memory, IReadOnlySet<string> queryEntityWords)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(queryEntityWords);
        if (queryEntityWords.Count == 0 || memory.Entities.Count == 0)
        {
            return 0;
        }

        return EntityExtractor.Words(memory.Entities).Count(queryEntityWords.Contains);
    }

    private static bool EntityMatches(MemoryRecord memory, string word) =>
        memory.Entities.Any(entity => entity == word || entity.Split(' ').Contains(word, StringComparer.Ordinal));

    /// <summary>
    /// Conversational locality: a memory stored right before or after one of the strongest candidates, in the same
    /// scope, gains a share of that candidate's fused score. A conversation arrives turn by turn, and the turn next to a
    /// strong hit (the answer to the question it asked, the rest of the story) often holds what the hit only begins.
    /// Boosts are computed from the scores before any boost and only ever add; a neighbour never passes the hit it
    /// borrows from.
    /// </summary>
    private static void AddNeighbours(List<Candidate> pool, NeighbourSource neighbours, RankingWeights w, Func<MemoryRecord, float, Candidate> get)
    {
        var anchors = pool
            .OrderByDescending(c => c.Fused)
            .ThenByDescending(c => c.Semantic)
            .ThenBy(c => c.Memory.Id, StringComparer.Ordinal)
            .Take(w.NeighbourAnchors)
            .ToList();
        var fusedById = anchors.ToDictionary(c => c.Memory.Id, c => c.Fused, StringComparer.Ordinal);
        var boosts = new Dictionary<Candidate, (double Boost, double Ceiling)>();
        foreach (var hit in neighbours(anchors.Select(c => c.Memory).ToList()))
        {
            if (fusedById.TryGetValue(hit.AnchorId, out var anchorFused))
            {
                var candidate = get(hit.Memory, hit.Score);
                var (boost, ceiling) = boosts.GetValueOrDefault(candidate);
                boosts[candidate] = (boost + (w.Neighbour * anchorFused), Math.Max(ceiling, anchorFused));
            }
        }

        // A neighbour may rise to just below the best hit that lends it score, never above it: that hit matched the
        // query itself (capping kept recall@10 and raised recall@1 from 0.288 to 0.340 on the development split). So
        // the best candidate stays first, whatever its neighbours.
        foreach (var (candidate, (boost, ceiling)) in boosts)
        {
            candidate.Fused = Math.Max(candidate.Fused, Math.Min(candidate.Fused + boost, ceiling * 0.999));
        }
    }

    private static void AddRanks(List<Candidate> ranking, double weight, int k)
    {
        for (var rank = 0; rank < ranking.Count; rank++)
        {
            ranking[rank].Fused += weight / (k + rank + 1);
        }
    }

    private sealed class Candidate(MemoryRecord memory, float semantic)
    {
        public MemoryRecord Memory { get; } = memory;

        public float Semantic { get; } = semantic;

        public double Fused { get; set; }
    }
}

/// <summary>Weights of the fused rankings and the RRF constant k.</summary>
public sealed record RankingWeights(double Vector, double Keyword, double Entity, double Time, int K)
{
    /// <summary>Weight of the pseudo-relevance-feedback keyword leg (0 = off).</summary>
    public double Feedback { get; init; }

    /// <summary>Share of a strong candidate's fused score given to its neighbours in the conversation (0 = off).</summary>
    public double Neighbour { get; init; }

    /// <summary>How many of the best candidates lend their score to their neighbours.</summary>
    public int NeighbourAnchors { get; init; } = 5;

    /// <summary>Neighbours taken on each side of an anchor.</summary>
    public int NeighboursPerSide { get; init; } = 1;
}

/// <summary>A memory stored next to <paramref name="AnchorId"/> in its scope, with its semantic score.</summary>
public readonly record struct NeighbourHit(string AnchorId, MemoryRecord Memory, float Score);

/// <summary>The memories stored immediately before and after each anchor in the anchor's own scope, within the search's filter.</summary>
public delegate IReadOnlyList<NeighbourHit> NeighbourSource(IReadOnlyList<MemoryRecord> anchors);
