using System.Security.Cryptography;
using System.Text;

namespace Mem0.Core.Projects;

/// <summary>Generates API keys and computes the only form in which they are stored: a SHA-256 hex hash.</summary>
public static class ApiKeys
{
    public const string KeyPrefix = "m0-";

    private const int SecretBytes = 32;

    /// <summary>A new key: <c>m0-</c> + 32 random bytes, base64url without padding.</summary>
    public static string Generate() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>Lower-case hex SHA-256 of the UTF-8 key.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>The first characters of the key, safe to show in listings.</summary>
    public static string DisplayPrefix(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length <= 8 ? key[..Math.Min(3, key.Length)] + "…" : key[..7] + "…";
    }

    /// <summary>Constant-time comparison of two hex hashes.</summary>
    public static bool HashesEqual(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(a.ToLowerInvariant()), Encoding.ASCII.GetBytes(b.ToLowerInvariant()));
    }

    /// <summary>A new record for <paramref name="key"/> (only its hash is kept).</summary>
    public static ApiKeyRecord CreateRecord(Project project, string key, string name, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(project);
        return new ApiKeyRecord
        {
            Id = "key_" + Guid.NewGuid().ToString("N")[..16],
            OrgId = project.OrgId,
            ProjectId = project.ProjectId,
            Name = name,
            KeyHash = Hash(key),
            Prefix = DisplayPrefix(key),
            CreatedAt = now,
        };
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
