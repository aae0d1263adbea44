using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mem0.Local.Jobs;

/// <summary>
/// Runs the job orchestrations and activities in this process on a Durable Task Framework <see cref="TaskHubWorker"/>
/// over the configured orchestration service (Azure Storage, or in memory). The orchestrators and activities are the
/// ones a <see cref="DurableTaskRegistry"/> holds — the same code the Functions app runs — adapted to the framework by
/// <see cref="DurableTaskShimFactory"/>. Nothing listens on a port.
/// </summary>
public sealed partial class TaskHubJobWorker : IHostedService, IAsyncDisposable
{
    private readonly IOrchestrationService _service;
    private readonly TaskHubWorker _worker;
    private readonly ILogger<TaskHubJobWorker> _logger;
    private bool _started;

    public TaskHubJobWorker(IOrchestrationService service, DurableTaskRegistry registry, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _service = service;
        _logger = loggerFactory.CreateLogger<TaskHubJobWorker>();
        var shims = new DurableTaskShimFactory(null, loggerFactory);
        _worker = new TaskHubWorker(service, loggerFactory);
        _worker.AddTaskOrchestrations([.. registry.GetOrchestrators().Select(o => (ObjectCreator<TaskOrchestration>)new ShimCreator<TaskOrchestration>(
            o.Key, () => shims.CreateOrchestration(o.Key, o.Value(services), parent: null)))]);
        _worker.AddTaskActivities([.. registry.GetActivities().Select(a => (ObjectCreator<TaskActivity>)new ShimCreator<TaskActivity>(
            a.Key, () => shims.CreateActivity(a.Key, a.Value(services))))]);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _service.CreateIfNotExistsAsync();
        await _worker.StartAsync();
        _started = true;
        LogStarted(_logger, _service.GetType().Name);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            return;
        }

        _started = false;

        // Not forced: work items in flight finish or are abandoned, so another process (or the next start) runs them again.
        await _worker.StopAsync(isForced: cancellationToken.IsCancellationRequested);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _worker.Dispose();
    }

    [LoggerMessage(EventId = 3204, Level = LogLevel.Debug, Message = "Job worker started on {Backend}")]
    private static partial void LogStarted(ILogger logger, string backend);

    /// <summary>A new shim (with a new orchestrator or activity) per execution: the shim keeps the execution's state.</summary>
    private sealed class ShimCreator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public ShimCreator(TaskName name, Func<T> create)
        {
            _create = create;
            Name = name.Name;
            Version = string.Empty;
        }

        public override T Create() => _create();
    }
}
