using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mem0.Core.Memories;

/// <summary>A user, agent, app or run that owns at least one memory in a project.</summary>
public sealed record EntitySummary(
    EntityType Type,
    string Name,
    int TotalMemories,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The entity's numeric id, as listed and as the deprecated id-based delete takes it.</summary>
    public string Id => NumericId(Type, Name);

    /// <summary>
    /// Entities are keyed by name; the platform's listing and its deprecated delete use integer ids. A stable id derived
    /// from (type, name) needs no id table: 48 bits of SHA-256, so it stays exact in JavaScript numbers.
    /// </summary>
    public static string NumericId(EntityType type, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{type}\n{name}"));
        var value = (long)(BinaryPrimitives.ReadUInt64BigEndian(digest) >> 16);
        return Math.Max(value, 1).ToString(CultureInfo.InvariantCulture);
    }
}
