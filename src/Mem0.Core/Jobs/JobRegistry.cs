using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Core.Jobs;

/// <summary>
/// Registers the jobs on a Durable Task worker outside the Functions host (the local server, tests): the
/// orchestration functions with their input types, and each activity as a call into <see cref="JobActivities"/> from DI.
/// </summary>
public static class JobRegistry
{
    public static DurableTaskRegistry AddMem0Jobs(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestratorFunc<AddJobInput, string>(JobNames.AddMemoriesJob, (context, input) => JobOrchestrations.AddMemoriesJobAsync(context, input));
        registry.AddOrchestratorFunc<ImportJobInput, string>(JobNames.ImportMemoriesJob, (context, input) => JobOrchestrations.ImportMemoriesJobAsync(context, input));
        registry.AddOrchestratorFunc<DeleteJobInput, string>(JobNames.DeleteMemoriesJob, (context, input) => JobOrchestrations.DeleteMemoriesJobAsync(context, input));

        Activity<EventRef, bool>(registry, JobNames.StartJob, (a, i) => a.StartJobAsync(i));
        Activity<AddJobInput, int>(registry, JobNames.RunAdd, (a, i) => a.RunAddAsync(i));
        Activity<ImportChunkInput, ImportChunkResult>(registry, JobNames.ImportChunk, (a, i) => a.ImportChunkAsync(i));
        Activity<ImportProgressInput, bool>(registry, JobNames.ReportImportProgress, (a, i) => a.ReportImportProgressAsync(i));
        Activity<DeleteBatchInput, int>(registry, JobNames.CountDelete, (a, i) => a.CountDeleteAsync(i));
        Activity<DeleteBatchInput, int>(registry, JobNames.DeleteBatch, (a, i) => a.DeleteBatchAsync(i));
        Activity<DeleteProgressInput, bool>(registry, JobNames.ReportDeleteProgress, (a, i) => a.ReportDeleteProgressAsync(i));
        Activity<CompleteEventInput, bool>(registry, JobNames.CompleteEvent, (a, i) => a.CompleteEventAsync(i));
        Activity<string, bool>(registry, JobNames.DeletePayload, (a, i) => a.DeletePayloadAsync(i));

        registry.AddEntity<ScopeLockEntity>(JobNames.ScopeLock);
        return registry;
    }

    private static void Activity<TInput, TOutput>(DurableTaskRegistry registry, string name, Func<JobActivities, TInput, Task<TOutput>> body) =>
        registry.AddActivity(name, services => new DelegateActivity<TInput, TOutput>(services.GetRequiredService<JobActivities>(), body));

    /// <summary>Adapts one <see cref="JobActivities"/> method to an activity (named by registration, not by this class).</summary>
    private sealed class DelegateActivity<TInput, TOutput>(JobActivities activities, Func<JobActivities, TInput, Task<TOutput>> body)
        : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => body(activities, input);
    }
}
