using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Signs delivery bodies: <c>Mem0-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "{t}.{body}")&gt;</c>.
/// The timestamp is inside the signed text so a captured request cannot be replayed later than the receiver's tolerance.
/// </summary>
public static class WebhookSigner
{
    public const string SignatureHeader = "Mem0-Signature";
    public const string DeliveryIdHeader = "Mem0-Delivery-Id";
    public const string EventTypeHeader = "Mem0-Event-Type";

    /// <summary>Receivers should refuse signatures older (or newer) than this.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";

    /// <summary>A new random signing secret: <c>whsec_</c> + 32 random bytes, base64url.</summary>
    public static string CreateSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The header value for <paramref name="body"/> signed at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, DateTimeOffset timestamp, string body)
    {
        var unix = timestamp.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"t={unix},v1={ComputeHex(secret, unix, body)}");
    }

    /// <summary>
    /// True when <paramref name="signatureHeader"/> carries a v1 signature of <paramref name="body"/> by
    /// <paramref name="secret"/> whose timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static bool Verify(string secret, string? signatureHeader, string body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        if (string.IsNullOrEmpty(signatureHeader))
        {
            return false;
        }

        long? timestamp = null;
        var candidates = new List<string>();
        foreach (var part in signatureHeader.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
            {
                continue;
            }

            var key = part[..separator];
            var value = part[(separator + 1)..];
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (key == "v1")
            {
                candidates.Add(value);
            }
        }

        if (timestamp is not { } unix || candidates.Count == 0)
        {
            return false;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(unix);
        if (age.Duration() > (tolerance ?? DefaultTolerance))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(ComputeHex(secret, unix, body));
        // Fixed-time comparison so the signature cannot be guessed byte by byte from response timing.
        return candidates.Any(c => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(c.ToLowerInvariant())));
    }

    private static string ComputeHex(string secret, long unix, string body)
    {
        var signed = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{unix}.{body}"));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return Convert.ToHexStringLower(mac);
    }
}
