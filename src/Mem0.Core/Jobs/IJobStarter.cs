using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Mem0.Core.Jobs;

/// <summary>
/// How a job's orchestration reaches the task hub once its event is recorded: at once (Functions), or through a host's
/// own queue when its backend copes badly with many instances in flight (the local server's in-memory backend).
/// </summary>
public interface IJobStarter
{
    Task SubmitAsync(DurableTaskClient client, string projectId, string orchestration, object input, string instanceId, CancellationToken cancellationToken);

    /// <summary>True while a job is accepted but its orchestration not scheduled yet: the sweeper leaves its event alone.</summary>
    bool IsWaiting(string instanceId);
}

/// <summary>Schedules the orchestration before the request returns (a failure reaches the caller).</summary>
public sealed class ImmediateJobStarter : IJobStarter
{
    public Task SubmitAsync(DurableTaskClient client, string projectId, string orchestration, object input, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.ScheduleNewOrchestrationInstanceAsync(orchestration, input, new StartOrchestrationOptions { InstanceId = instanceId }, cancellationToken);
    }

    public bool IsWaiting(string instanceId) => false;
}
