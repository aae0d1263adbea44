using System.Net;
using Mem0.Core.Webhooks;

namespace Mem0.Testing.Webhooks;

/// <summary>A resolver answering from a table, so tests never touch real DNS; unknown names do not resolve.</summary>
public sealed class FakeHostResolver : IHostResolver
{
    private readonly Dictionary<string, IPAddress[]> _table = new(StringComparer.OrdinalIgnoreCase);

    public FakeHostResolver Map(string host, params string[] addresses)
    {
        _table[host] = [.. addresses.Select(IPAddress.Parse)];
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken = default) =>
        Task.FromResult(_table.TryGetValue(host, out var addresses) ? addresses : []);
}
