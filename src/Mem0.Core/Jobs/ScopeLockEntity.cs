using Microsoft.DurableTask.Entities;

namespace Mem0.Core.Jobs;

/// <summary>
/// The Durable entity behind <see cref="JobNames.ScopeLock"/>: it holds no state and has no operations; orchestrations
/// only take its lock (<c>LockEntitiesAsync</c>) so adds of one scope never interleave across workers.
/// </summary>
public sealed class ScopeLockEntity : TaskEntity<int>;
