using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Http;

/// <summary>
/// <c>GET /healthz</c> (liveness: the process answers) and <c>GET /readyz</c> (readiness: every registered check, e.g.
/// store reachable and model loaded), unauthenticated on both hosts. The body names each check and its status only:
/// no descriptions, exception messages, versions or settings.
/// </summary>
public static partial class HealthEndpoints
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";

    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments(LivePath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(ReadyPath, StringComparison.OrdinalIgnoreCase);

    public static Task<IResult> LiveAsync(HttpRequest request) =>
        Task.FromResult<IResult>(TypedResults.Json(new HealthDto(nameof(HealthStatus.Healthy), null)));

    public static async Task<IResult> ReadyAsync(HttpRequest request, HealthCheckService health, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(loggers);
        var report = await health.CheckHealthAsync(request.HttpContext.RequestAborted);
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
        {
            LogCheckFailed(loggers.CreateLogger(typeof(HealthEndpoints)), entry.Exception, name, entry.Status.ToString());
        }

        var body = new HealthDto(report.Status.ToString(), report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString(), StringComparer.Ordinal));
        return TypedResults.Json(body, statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness check {Check} is {Status}")]
    private static partial void LogCheckFailed(ILogger logger, Exception? exception, string check, string status);
}

/// <summary>The probe's answer: overall status and, for readiness, each check's status.</summary>
public sealed record HealthDto(string Status, IReadOnlyDictionary<string, string>? Checks);
