using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Converters;
using CoreState = DurableTask.Core.OrchestrationState;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace Mem0.Local.Jobs;

/// <summary>
/// The <see cref="DurableTaskClient"/> the Core jobs schedule, poll and purge through, over a Durable Task Framework
/// orchestration service in this process (Azure Storage, or the in-memory one): no gRPC hop and no listening port.
/// Inputs are serialized with the same <see cref="DataConverter"/> the worker's shims deserialize with. Only what the
/// jobs use is supported; suspend, resume and entities throw <see cref="NotSupportedException"/> (the local server takes
/// no entity locks: the engine's per-scope lock serializes adds).
/// </summary>
public sealed class TaskHubJobClient(IOrchestrationServiceClient service, DataConverter? dataConverter = null) : DurableTaskClient("mem0-local")
{
    private readonly DataConverter _converter = dataConverter ?? JsonDataConverter.Default;

    public override DurableEntityClient Entities => throw new NotSupportedException("The local job backend runs no entities.");

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString("N"),
        };
        var message = new TaskMessage
        {
            OrchestrationInstance = instance,
            Event = new ExecutionStartedEvent(-1, _converter.Serialize(input))
            {
                Name = orchestratorName.Name,
                Version = options?.Version ?? string.Empty,
                OrchestrationInstance = instance,
                ScheduledStartTime = options?.StartAt?.UtcDateTime,
            },
        };

        // An instance id is an event id: a second start of one that exists (running or ended) is refused, never a restart.
        await service.CreateTaskOrchestrationAsync(message, AllStatuses);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new EventRaisedEvent(-1, _converter.Serialize(eventPayload)) { Name = eventName });

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation)
                ?? throw new InvalidOperationException($"Orchestration '{instanceId}' does not exist.");
            if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Pending)
            {
                return metadata;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellation);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var state = await service.WaitForOrchestrationAsync(instanceId, executionId: null, Timeout.InfiniteTimeSpan, cancellation);
        return ToMetadata(state, getInputsAndOutputs)
            ?? throw new InvalidOperationException($"Orchestration '{instanceId}' does not exist.");
    }

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        service.ForceTerminateTaskOrchestrationAsync(instanceId, _converter.Serialize(options?.Output));

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("The local job backend does not suspend jobs.");

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException("The local job backend does not suspend jobs.");

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var states = await service.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        return states is { Count: > 0 } ? ToMetadata(states[0], getInputsAndOutputs) : null;
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        throw new NotSupportedException("The local job backend does not list instances; read the events instead.");

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var current = await GetInstancesAsync(instanceId, getInputsAndOutputs: false, cancellation);
        if (current is null)
        {
            return new PurgeResult(0);
        }

        if (!current.IsCompleted)
        {
            throw new InvalidOperationException($"Orchestration '{instanceId}' is {current.RuntimeStatus}; only ended ones are purged.");
        }

        var result = await PurgeClient.PurgeInstanceStateAsync(instanceId);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        cancellation.ThrowIfCancellationRequested();
        var coreFilter = new PurgeInstanceFilter(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue,
            filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(ToCore).ToList());
        var result = await PurgeClient.PurgeInstanceStateAsync(coreFilter);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static readonly OrchestrationStatus[] AllStatuses = Enum.GetValues<OrchestrationStatus>();

    private IOrchestrationServicePurgeClient PurgeClient => service as IOrchestrationServicePurgeClient
        ?? throw new NotSupportedException($"{service.GetType().Name} cannot purge instances.");

    private Task SendAsync(string instanceId, HistoryEvent historyEvent) =>
        service.SendTaskOrchestrationMessageAsync(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = historyEvent });

    private OrchestrationMetadata? ToMetadata(CoreState? state, bool getInputsAndOutputs) => state is null
        ? null
        : new OrchestrationMetadata(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = getInputsAndOutputs ? _converter : null,
            RuntimeStatus = FromCore(state.OrchestrationStatus),
            CreatedAt = state.CreatedTime,
            LastUpdatedAt = state.LastUpdatedTime,
            SerializedInput = getInputsAndOutputs ? state.Input : null,
            SerializedOutput = getInputsAndOutputs ? state.Output : null,
            SerializedCustomStatus = state.Status,
            FailureDetails = ToDetails(state.FailureDetails),
        };

    private static TaskFailureDetails? ToDetails(FailureDetails? details) => details is null
        ? null
        : new TaskFailureDetails(details.ErrorType, details.ErrorMessage, details.StackTrace, ToDetails(details.InnerFailure), Properties: null);

    // The two enums share their values by design (the SDK converts them by casting); a cast keeps obsolete members unnamed.
    internal static OrchestrationRuntimeStatus FromCore(OrchestrationStatus status) => (OrchestrationRuntimeStatus)(int)status;

    internal static OrchestrationStatus ToCore(OrchestrationRuntimeStatus status) => (OrchestrationStatus)(int)status;
}
