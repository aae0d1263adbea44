using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Mem0.Functions.Http;

/// <summary>
/// Limits the Functions host enforces before a request reaches the worker, so the app can state the same ones.
/// </summary>
public static class FunctionsHostLimits
{
    /// <summary>The host's setting for the largest request body, in bytes (azure-functions-host, HttpRequestBodySizeMiddleware).</summary>
    public const string RequestBodySizeSetting = "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT";

    /// <summary>The host's default when the setting is absent or not a number: 100 MiB.</summary>
    public const long DefaultMaxRequestBodyBytes = 104_857_600;

    /// <summary>The body size the host lets through, read the way the host reads it (a whole number, else the default).</summary>
    public static long MaxRequestBodyBytes(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return long.TryParse(configuration[RequestBodySizeSetting], NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            ? limit
            : DefaultMaxRequestBodyBytes;
    }
}
