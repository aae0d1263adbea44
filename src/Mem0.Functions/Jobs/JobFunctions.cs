using Mem0.Core.Jobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;

namespace Mem0.Functions.Jobs;

/// <summary>
/// The job orchestrations, activities and the scope-lock entity as functions: one-line wrappers over the shared
/// Core job code (no source generator; class-based tasks are not turned into functions here).
/// </summary>
public sealed class JobFunctions(JobActivities activities)
{
    [Function(JobNames.AddMemoriesJob)]
    public static Task<string> AddMemoriesJob([OrchestrationTrigger] TaskOrchestrationContext context) =>
        JobOrchestrations.AddMemoriesJobAsync(context, Input<AddJobInput>(context));

    [Function(JobNames.ImportMemoriesJob)]
    public static Task<string> ImportMemoriesJob([OrchestrationTrigger] TaskOrchestrationContext context) =>
        JobOrchestrations.ImportMemoriesJobAsync(context, Input<ImportJobInput>(context));

    [Function(JobNames.DeleteMemoriesJob)]
    public static Task<string> DeleteMemoriesJob([OrchestrationTrigger] TaskOrchestrationContext context) =>
        JobOrchestrations.DeleteMemoriesJobAsync(context, Input<DeleteJobInput>(context));

    [Function(JobNames.StartJob)]
    public Task<bool> StartJob([ActivityTrigger] EventRef input, CancellationToken cancellationToken) =>
        activities.StartJobAsync(input, cancellationToken);

    [Function(JobNames.RunAdd)]
    public Task<int> RunAdd([ActivityTrigger] AddJobInput input, CancellationToken cancellationToken) =>
        activities.RunAddAsync(input, cancellationToken);

    [Function(JobNames.ImportChunk)]
    public Task<ImportChunkResult> ImportChunk([ActivityTrigger] ImportChunkInput input, CancellationToken cancellationToken) =>
        activities.ImportChunkAsync(input, cancellationToken);

    [Function(JobNames.ReportImportProgress)]
    public Task<bool> ReportImportProgress([ActivityTrigger] ImportProgressInput input, CancellationToken cancellationToken) =>
        activities.ReportImportProgressAsync(input, cancellationToken);

    [Function(JobNames.CountDelete)]
    public Task<int> CountDelete([ActivityTrigger] DeleteBatchInput input, CancellationToken cancellationToken) =>
        activities.CountDeleteAsync(input, cancellationToken);

    [Function(JobNames.DeleteBatch)]
    public Task<int> DeleteBatch([ActivityTrigger] DeleteBatchInput input, CancellationToken cancellationToken) =>
        activities.DeleteBatchAsync(input, cancellationToken);

    [Function(JobNames.ReportDeleteProgress)]
    public Task<bool> ReportDeleteProgress([ActivityTrigger] DeleteProgressInput input, CancellationToken cancellationToken) =>
        activities.ReportDeleteProgressAsync(input, cancellationToken);

    [Function(JobNames.CompleteEvent)]
    public Task<bool> CompleteEvent([ActivityTrigger] CompleteEventInput input, CancellationToken cancellationToken) =>
        activities.CompleteEventAsync(input, cancellationToken);

    [Function(JobNames.DeletePayload)]
    public Task<bool> DeletePayload([ActivityTrigger] string prefix, CancellationToken cancellationToken) =>
        activities.DeletePayloadAsync(prefix, cancellationToken);

    /// <summary>The entity whose critical section serializes adds of one scope across workers.</summary>
    [Function(JobNames.ScopeLock)]
    public static Task ScopeLock([EntityTrigger] TaskEntityDispatcher dispatcher) =>
        dispatcher.DispatchAsync<ScopeLockEntity>();

    private static T Input<T>(TaskOrchestrationContext context) =>
        context.GetInput<T>() ?? throw new InvalidOperationException($"The orchestration {context.Name} has no {typeof(T).Name} input.");
}
