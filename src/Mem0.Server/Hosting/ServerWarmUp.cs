using System.Diagnostics;
using Mem0.Core.AI;
using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Local.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Mem0.Server.Hosting;

/// <summary>
/// Warms the request path in the background once the server listens, so the first user request costs what the second
/// does: the local embedding model and tokenizer (a query is embedded and searched for a scope that cannot exist), the
/// project's vector-index catalogue and as many of its scopes as fit a small allowance, SQLite's statements on the
/// add path, the event store and the Durable client's channel. Nothing is written. Readiness is not delayed: the server
/// accepts requests while this runs, and a request that arrives first simply does the same work itself.
/// </summary>
internal sealed partial class ServerWarmUp(
    MemoryService memories,
    IMemoryStore store,
    IEventStore events,
    DurableTaskClient jobsClient,
    ServerState state,
    IOptions<ServerOptions> options,
    IOptions<AiOptions> ai,
    IHostApplicationLifetime lifetime,
    ILogger<ServerWarmUp> logger) : BackgroundService
{
    /// <summary>A scope id for the probes: searching it touches every path and, nothing being written, finds nothing.</summary>
    private const string WarmUpScope = "__mem0_warm_up__";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUp)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var stopwatch = Stopwatch.StartNew();
        try
        {
            var projectId = (await state.Bootstrap).Project.ProjectId;
            if (store is SqliteMemoryStore sqlite)
            {
                await sqlite.WarmUpAsync(projectId, options.Value.WarmUpIndexMegabytes * 1024L * 1024L, stoppingToken);
            }

            var scope = FilterScopes.ForScope(new MemoryScope(WarmUpScope));
            if (ai.Value.EmbeddingProvider == EmbeddingProvider.Local)
            {
                // Only the local model: warming a remote embedder would be a billed call nobody asked for.
                await memories.SearchAsync(
                    new SearchMemoriesRequest { ProjectId = projectId, Query = "warm-up", Filter = scope, KeywordSearch = true }, stoppingToken);
            }

            await store.FindByHashAsync(projectId, new MemoryScope(WarmUpScope), ["0"], stoppingToken);
            await store.GetManyAsync(projectId, [WarmUpScope], stoppingToken);
            await events.GetAsync(projectId, WarmUpScope, stoppingToken);
            await jobsClient.GetInstanceAsync("mem0-warm-up", getInputsAndOutputs: false, stoppingToken);

            LogWarmedUp(logger, stopwatch.ElapsedMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before warm-up finished: nothing to undo.
        }
        catch (Exception ex)
        {
            // Warm-up only saves time; a failure here shows again, with its context, on the first request.
            LogWarmUpFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up the model, index and storage in {ElapsedMs} ms")]
    private static partial void LogWarmedUp(ILogger logger, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up failed; the first request will pay for it")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception);
}
