using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Mem0.Functions.Http;

/// <summary>
/// The unauthenticated probes (<c>GET /healthz</c>, <c>GET /readyz</c>), delegating to <see cref="HealthEndpoints"/> like the
/// local server. Their routes avoid the host's reserved <c>admin</c>/<c>runtime</c> prefixes.
/// </summary>
public sealed class HealthFunctions(HealthCheckService health, ILoggerFactory loggers)
{
    [Function("Healthz")]
    public static Task<IResult> Healthz(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request) =>
        HealthEndpoints.LiveAsync(request);

    [Function("Readyz")]
    public Task<IResult> Readyz(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "readyz")] HttpRequest request) =>
        HealthEndpoints.ReadyAsync(request, health, loggers);
}
