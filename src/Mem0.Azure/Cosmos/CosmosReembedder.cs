using Mem0.Core.Common;
using Mem0.Core.Memories;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Mem0.Azure.Cosmos;

/// <summary>What one re-embedding run did, and whether stale memories remain for the next run.</summary>
public sealed record ReembedResult(int Reembedded, int Skipped, bool MoreRemain);

/// <summary>
/// Re-embeds memories whose vector another model made than the configured embedder's (the deployment was changed),
/// in bounded runs: <see cref="BatchSize"/> texts per embedding call, at most <see cref="MaxPerRun"/> memories per run,
/// so one timer invocation stays short and the next one carries on. Search compares only vectors of the query's
/// model, so until a memory is re-embedded it is not found, never ranked against a vector of another model. Each write
/// is ETag-checked: a memory changed meanwhile (it was re-embedded by its own update) is skipped. Text, timestamps and
/// history are untouched, so no webhook fires.
/// </summary>
public sealed partial class CosmosReembedder
{
    /// <summary>Texts per embedding call (Azure OpenAI takes up to 2,048 inputs; smaller calls fail and retry cheaper).</summary>
    public const int BatchSize = 64;

    /// <summary>Memories per run: about 16 embedding calls and writes of at most 1,000 documents, well inside a timer's budget.</summary>
    public const int MaxPerRun = 1000;

    private readonly CosmosMemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly ILogger<CosmosReembedder> _logger;

    public CosmosReembedder(CosmosMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> generator, ILogger<CosmosReembedder> logger)
    {
        _store = store;
        _generator = generator;
        _logger = logger;
    }

    /// <summary>The model new memories are embedded with; null when the generator does not say (then nothing is re-embedded).</summary>
    public string? ModelId => _generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;

    public async Task<ReembedResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (ModelId is not { Length: > 0 } modelId)
        {
            return new ReembedResult(0, 0, MoreRemain: false);
        }

        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var done = 0;
        var more = true;
        while (done + skipped.Count < MaxPerRun)
        {
            var stale = await _store.ListEmbeddedByOtherModelsAsync(
                modelId, skipped, Math.Min(BatchSize, MaxPerRun - done - skipped.Count), cancellationToken);
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

    /// <summary>The project's memories (one batch per owner partition); on a conflict, one by one, skipping those that changed.</summary>
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
