using Mem0.Core.Memories;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Local.Storage;

/// <summary>
/// Re-embeds, in the background after start, every memory whose vector was made by another model than the configured
/// embedder's (the model was changed, e.g. MiniLM to arctic-embed-xs), through the shared <see cref="MemoryReembedder"/>,
/// to the end. A memory that changed meanwhile is left for the next start.
/// </summary>
public sealed partial class ReembedService : BackgroundService
{
    private readonly MemoryReembedder _reembedder;
    private readonly ILogger<ReembedService> _logger;
    private readonly TaskCompletionSource<int> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReembedService(SqliteMemoryStore store, IEmbeddingGenerator<string, Embedding<float>> generator, ILogger<ReembedService> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        _reembedder = new MemoryReembedder(store, store.ListEmbeddedByOtherModelsAsync, generator, logger);
        _logger = logger;
    }

    /// <summary>Completes with the number of memories re-embedded when the pass ends.</summary>
    public Task<int> Completed => _completed.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            var result = await _reembedder.RunAsync(cancellationToken: stoppingToken);
            _completed.TrySetResult(result.Reembedded);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Re-embedding memories of other models failed; they stay unsearchable until the next start")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
