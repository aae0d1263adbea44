using Mem0.Core.Filters;

namespace Mem0.Core.Memories;

/// <summary>
/// Scope deletes that were accepted but whose job has not ended yet. Reads (search, list, get) hide the memories these
/// filters match, so a caller's next read after "Delete in progress" already sees them gone, whichever backend runs the job.
/// </summary>
public interface IPendingDeletes
{
    /// <summary>The filters of the project's deletes still pending or running; empty when there are none.</summary>
    Task<IReadOnlyList<FilterNode>> ListAsync(string projectId, CancellationToken cancellationToken = default);
}
