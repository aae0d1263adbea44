using System.Collections.Concurrent;
using Mem0.Core.Common;
using Mem0.Core.Jobs;

namespace Mem0.Testing.Stores;

/// <summary>Payloads in process memory: the test fake (the hosts stage payloads in files or Blob storage).</summary>
public sealed class InMemoryJobPayloadStore : IJobPayloadStore
{
    private readonly ConcurrentDictionary<string, byte[]> _payloads = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Keys => [.. _payloads.Keys];

    public Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        _payloads[key] = content.ToArray();
        return Task.CompletedTask;
    }

    public Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken = default) =>
        _payloads.TryGetValue(key, out var content)
            ? Task.FromResult(content)
            : Task.FromException<byte[]>(new NotFoundException(ResourceKind.JobPayload, $"Job payload '{key}' not found."));

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        foreach (var key in _payloads.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            _payloads.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }
}
