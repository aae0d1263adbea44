using Mem0.Core.Common;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Memories;

/// <summary>
/// Up to <paramref name="maxCount"/> memories, of any project, whose vector another model made than
/// <paramref name="modelId"/>, leaving out <paramref name="excludedIds"/>; each with its ETag. Every store offers one.
/// </summary>
public delegate Task<IReadOnlyList<MemoryRecord>> StaleEmbeddingSource(
    string modelId, IReadOnlyCollection<string> excludedIds, int maxCount, CancellationToken cancellationToken);

/// <summary>What one re-embedding run did, and whether memories of another model remain for a later run.</summary>
public sealed record ReembedResult(int Reembedded, int Skipped, bool MoreRemain);

/// <summary>
/// Re-embeds the memories whose vector another model made than the configured embedder's (the model or deployment was
/// changed), <see cref="BatchSize"/> texts per embedding call. Search compares only vectors of the query's model, so
/// until a memory is re-embedded it is not found, never ranked against a vector of another model. Each project's batch
/// is written ETag-checked; on a conflict, one by one, and a memory changed or deleted meanwhile is skipped (its own
/// update re-embedded it) and left out of the rest of the run. Text, timestamps and history are untouched, so no
/// webhook fires. Each host decides when it runs and how far: the local server once after start, to the end; the
/// Functions app on a timer, a bounded number per run.
/// </summary>
public sealed partial class MemoryReembedder
{
    /// <summary>Texts per embedding call: small enough that a failed call is cheap to retry, large enough to batch well.</summary>
    public const int BatchSize = 64;

    private readonly IMemoryStore _store;
    private readonly StaleEmbeddingSource _listStale;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly ILogger _logger;

    public MemoryReembedder(IMemoryStore store, StaleEmbeddingSource listStale, IEmbeddingGenerator<string, Embedding<float>> generator, ILogger logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _listStale = listStale ?? throw new ArgumentNullException(nameof(listStale));
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The model new memories are embedded with; null when the generator does not say (then nothing is re-embedded).</summary>
    public string? ModelId => _generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;

    /// <summary>Re-embeds until no memory of another model is left or <paramref name="maxMemories"/> were handled.</summary>
    public async Task<ReembedResult> RunAsync(int maxMemories = int.MaxValue, CancellationToken cancellationToken = default)
    {
        if (ModelId is not { Length: > 0 } modelId)
        {
            return new ReembedResult(0, 0, MoreRemain: false);
        }

        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var done = 0;
        var more = true;
        while (done + skipped.Count < maxMemories)
        {
            var stale = await _listStale(modelId, skipped, Math.Min(BatchSize, maxMemories - done - skipped.Count), cancellationToken);
            if (stale.Count == 0)
            {
                more = false;
                break;
            }

            var embeddings = await _generator.GenerateAsync(stale.Select(m => m.Text).ToList(), cancellationToken: cancellationToken);
            if (embeddings.Count != stale.Count)
            {
                throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {stale.Count} texts.");
            }

            var updated = stale.Select((memory, i) => memory with
            {
                Embedding = VectorMath.Normalize(embeddings[i].Vector.Span),
                EmbeddingModel = modelId,
            });
            foreach (var project in updated.GroupBy(m => m.ProjectId, StringComparer.Ordinal))
            {
                done += await ApplyAsync(project.Key, project.ToList(), skipped, cancellationToken);
            }
        }

        if (done > 0 || skipped.Count > 0)
        {
            LogReembedded(_logger, done, modelId, skipped.Count, more);
        }

        return new ReembedResult(done, skipped.Count, more);
    }

    private async Task<int> ApplyAsync(string projectId, List<MemoryRecord> memories, HashSet<string> skipped, CancellationToken cancellationToken)
    {
        try
        {
            await _store.ApplyAsync(projectId, new MemoryChangeSet { Updated = memories }, cancellationToken);
            return memories.Count;
        }
        catch (Exception ex) when (ex is ConcurrencyConflictException or MemoryNotFoundException && memories.Count > 1)
        {
            var done = 0;
            foreach (var memory in memories)
            {
                done += await ApplyAsync(projectId, [memory], skipped, cancellationToken);
            }

            return done;
        }
        catch (Exception ex) when (ex is ConcurrencyConflictException or MemoryNotFoundException)
        {
            skipped.Add(memories[0].Id);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-embedded {Count} memories with {Model} ({Skipped} changed or deleted meanwhile; more remain: {More})")]
    private static partial void LogReembedded(ILogger logger, int count, string model, int skipped, bool more);
}
