using Mem0.Core.Projects;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mem0.Core.Observability;

/// <summary>
/// Readiness of the store: one point read of a project that never exists (SQLite: one indexed lookup; Cosmos DB: one
/// 404 read, ~1 RU). The result is reused for a few seconds, because the probe is unauthenticated and must not let
/// anyone turn it into load on the database.
/// </summary>
public sealed class StoreHealthCheck(IProjectStore projects, TimeProvider timeProvider) : IHealthCheck
{
    public const string Name = "store";

    private const string ProbeProjectId = "mem0-readiness-probe";
    private static readonly TimeSpan s_reuseFor = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = timeProvider.GetUtcNow();
            if (_last is { } last && now - last.At < s_reuseFor)
            {
                return last.Result;
            }

            HealthCheckResult result;
            try
            {
                await projects.GetProjectAsync(ProbeProjectId, cancellationToken);
                result = HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                result = HealthCheckResult.Unhealthy("The store did not answer.", ex);
            }

            _last = (result, now);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
