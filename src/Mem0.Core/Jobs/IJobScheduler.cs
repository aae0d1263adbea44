using Mem0.Core.Events;
using Mem0.Core.Memories;

namespace Mem0.Core.Jobs;

/// <summary>Runs the long work behind an event. The event is already stored (PENDING) when a schedule call is made.</summary>
public interface IJobScheduler
{
    /// <summary>Schedules an inferring add; the job moves <paramref name="memoryEvent"/> to SUCCEEDED or FAILED.</summary>
    Task ScheduleAddAsync(MemoryEvent memoryEvent, AddMemoriesRequest request, CancellationToken cancellationToken = default);
}
