using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Mem0.Core.Common;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Keeps webhook deliveries away from internal networks (SSRF). A URL is checked when it is registered, and every
/// connection is checked again after DNS resolution (<see cref="ConnectAsync"/>), so a host that later resolves to a
/// private address — DNS rebinding — is still refused.
/// </summary>
public sealed class DestinationGuard
{
    private readonly IHostResolver _resolver;
    private readonly bool _allowLoopback;

    /// <param name="resolver">Name resolution.</param>
    /// <param name="allowLoopback">Development mode only: permits plain http to, and connections to, loopback addresses.</param>
    public DestinationGuard(IHostResolver resolver, bool allowLoopback)
    {
        _resolver = resolver;
        _allowLoopback = allowLoopback;
    }

    public bool AllowsLoopback => _allowLoopback;

    /// <summary>
    /// Validates a URL for registration: absolute, https (or http to loopback in development mode), no credentials,
    /// and every address the host resolves to is public. Throws <see cref="ValidationException"/> on field <c>url</c>.
    /// </summary>
    public async Task<Uri> ValidateUrlAsync(string? url, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ValidationException("url", "Enter a valid URL.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new ValidationException("url", "The URL must not contain credentials.");
        }

        var addresses = await ResolveAsync(uri.IdnHost, cancellationToken);
        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            if (!_allowLoopback || addresses.Length == 0 || !addresses.All(IPAddress.IsLoopback))
            {
                throw new ValidationException("url", "The URL must use https (plain http is allowed only to loopback in development mode).");
            }
        }
        else if (uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ValidationException("url", "The URL must use https.");
        }

        if (addresses.Length == 0)
        {
            throw new ValidationException("url", $"The host '{uri.Host}' does not resolve.");
        }

        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
            {
                throw new ValidationException("url", $"The host '{uri.Host}' resolves to {address}, a {reason} address; webhooks may only call public addresses.");
            }
        }

        return uri;
    }

    /// <summary>Why <paramref name="address"/> is refused (e.g. "private"), or null when it may be called.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return RefuseV4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "non-IP";
        }

        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return _allowLoopback ? null : "loopback";
        }

        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if ((b[0] & 0xFE) == 0xFC)
        {
            return "private (unique local)";
        }

        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80)
        {
            return "link-local";
        }

        if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0)
        {
            return "private (site-local)";
        }

        if (b[0] == 0xFF)
        {
            return "multicast";
        }

        // Forms that embed an IPv4 address: the embedded one decides (::a.b.c.d, 64:ff9b::/96 NAT64, 2002::/16 6to4).
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return RefuseV4(b[12..]);
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return RefuseV4(b[12..]);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return RefuseV4(b[2..6]);
        }

        return null;
    }

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses the connection if any address is
    /// not allowed, then connects only to the addresses it checked.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.DnsEndPoint;
        var addresses = await ResolveAsync(endpoint.Host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new WebhookDestinationRefusedException($"The host '{endpoint.Host}' does not resolve.");
        }

        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
            {
                throw new WebhookDestinationRefusedException($"The host '{endpoint.Host}' resolves to {address}, a {reason} address.");
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostUnreachable);
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var trimmed = host.TrimStart('[').TrimEnd(']');
        if (IPAddress.TryParse(trimmed, out var literal))
        {
            return [literal];
        }

        try
        {
            return await _resolver.ResolveAsync(trimmed, cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }

    private string? RefuseV4(ReadOnlySpan<byte> b) => (b[0], b[1]) switch
    {
        (0, _) => "unspecified (0.0.0.0/8)",
        (10, _) => "private (10/8)",
        (100, >= 64 and <= 127) => "shared (100.64/10)",
        (127, _) => _allowLoopback ? null : "loopback",
        (169, 254) => "link-local or metadata (169.254/16)",
        (172, >= 16 and <= 31) => "private (172.16/12)",
        (192, 168) => "private (192.168/16)",
        (192, 0) when b[2] == 0 => "reserved (192.0.0/24)",
        (198, 18 or 19) => "benchmarking (198.18/15)",
        ( >= 224, _) => "multicast or reserved",
        _ => null,
    };
}
