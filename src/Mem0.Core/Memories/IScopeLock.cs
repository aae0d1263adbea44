namespace Mem0.Core.Memories;

/// <summary>
/// Serializes inferring adds per scope, so two adds for the same user/agent/app/run never interleave
/// (otherwise both could see the same existing memories and store one fact twice).
/// </summary>
public interface IScopeLock
{
    /// <summary>Waits for the scope; dispose the result to release it.</summary>
    ValueTask<IAsyncDisposable> AcquireAsync(string projectId, MemoryScope scope, CancellationToken cancellationToken = default);
}
