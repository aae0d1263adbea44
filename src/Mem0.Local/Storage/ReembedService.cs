using Mem0.Core.Common;
using Mem0.Core.Memories;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Local.Storage;

/// <summary>
/// Re-embeds, in the background after start, every memory whose vector was made by another model than the configured
/// embedder's (the model was changed, e.g. MiniLM to arctic-embed-xs). Search only ever compares vectors of the query's
/// model, so until a memory is re-embedded it is simply not found; it never meets a vector of another model. Each batch
/// is one ETag-checked transaction: a memory changed meanwhile is re-read on the next pass, and one that keeps failing
/// is left for the next start. The text, timestamps and history are untouched.
/// </summary>
public sealed partial class ReembedService : BackgroundService
{
    private const int BatchSize = 64;

    private readonly SqliteMemoryStore _store;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly ILogger<ReembedService> _logger;
    private readonly TaskCompletionSource<int> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReembedService(SqliteMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> generator, ILogger<ReembedService> logger)
    {
        _store = store;
        _generator = generator;
        _logger = logger;
    }

    /// <summary>Completes with the number of memories re-embedded when the pass ends.</summary>
    public Task<int> Completed => _completed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _completed.TrySetResult(await RunAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _completed.TrySetCanceled(stoppingToken);
        }
        catch (Exception exception)
        {
            // A failed pass leaves memories unsearchable, not wrong; the next start tries again.
            LogFailed(_logger, exception);
            _completed.TrySetException(exception);
        }
    }

    private async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var modelId = _generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId;
        if (string.IsNullOrEmpty(modelId))
        {
            return 0;
        }

        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var done = 0;
        while (true)
        {
            var stale = await _store.ListEmbeddedByOtherModelsAsync(modelId, skipped, BatchSize, cancellationToken);
            if (stale.Count == 0)
            {
                break;
            }

            var embeddings = await _generator.GenerateAsync(stale.Select(m => m.Text).ToList(), cancellationToken: cancellationToken);
            var updated = stale.Select((memory, i) => memory with
            {
                Embedding = Normalized(embeddings[i].Vector.ToArray()),
                EmbeddingModel = modelId,
            }).ToList();
            foreach (var project in updated.GroupBy(m => m.ProjectId, StringComparer.Ordinal))
            {
                done += await ApplyAsync(project.Key, project.ToList(), skipped, cancellationToken);
            }
        }

        if (done > 0 || skipped.Count > 0)
        {
            LogReembedded(_logger, done, modelId, skipped.Count);
        }

        return done;
    }

    /// <summary>The batch in one transaction; on a conflict, one by one, skipping the memories that changed.</summary>
    private async Task<int> ApplyAsync(string projectId, List<MemoryRecord> memories, HashSet<string> skipped, CancellationToken cancellationToken)
    {
        try
        {
            await _store.ApplyAsync(projectId, new MemoryChangeSet { Updated = memories }, cancellationToken);
            return memories.Count;
        }
        catch (Mem0Exception) when (memories.Count > 1)
        {
            var done = 0;
            foreach (var memory in memories)
            {
                done += await ApplyAsync(projectId, [memory], skipped, cancellationToken);
            }

            return done;
        }
        catch (Mem0Exception)
        {
            skipped.Add(memories[0].Id);
            return 0;
        }
    }

    private static float[] Normalized(float[] vector)
    {
        var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(vector[i] / norm);
            }
        }

        return vector;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-embedded {Count} memories with {Model} ({Skipped} changed meanwhile, left for the next start)")]
    private static partial void LogReembedded(ILogger logger, int count, string model, int skipped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Re-embedding memories of other models failed; they stay unsearchable until the next start")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
