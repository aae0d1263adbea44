using System.Security.Cryptography;
using System.Text;

namespace Mem0.Core.Memories;

/// <summary>The content hash Mem0 stores with each memory: MD5 hex of the UTF-8 text (an identity check, not security).</summary>
public static class ContentHash
{
    public static string Compute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
#pragma warning disable CA5351 // MD5 is what the Mem0 wire format uses for the memory hash; it is not used for security.
        var digest = MD5.HashData(Encoding.UTF8.GetBytes(text));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(digest);
    }
}
