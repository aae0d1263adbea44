namespace Mem0.Core.Jobs;

/// <summary>
/// Where a job's input is staged out of the orchestration payload (a conversation, import chunks): Blob storage in
/// Azure, files locally. Keys are relative paths like <c>{projectId}/{eventId}/add.json</c>; the job deletes its
/// prefix when it ends, so user content does not linger.
/// </summary>
public interface IJobPayloadStore
{
    Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="Common.NotFoundException"/> when the payload is gone.</summary>
    Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes every payload whose key starts with <paramref name="prefix"/>; missing ones are ignored.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default);
}
