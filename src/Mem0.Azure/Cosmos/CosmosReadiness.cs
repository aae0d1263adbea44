using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mem0.Azure.Cosmos;

/// <summary>
/// Whether the Cosmos DB layout has been verified, as <see cref="CosmosLayoutVerifier"/> reports it. Until it has, the
/// API answers 503 with Retry-After (the Functions middleware) and the health check says Unhealthy with the reason,
/// instead of the host crashing at start: right after provisioning the app's data-plane role can take minutes to apply.
/// </summary>
public sealed class CosmosReadiness : IHealthCheck
{
    private readonly TaskCompletionSource _firstCheck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private volatile Snapshot _state = new(false, "The Cosmos DB layout has not been checked yet.", null);

    public CosmosReadiness(TimeProvider time)
    {
        _time = time;
    }

    public bool IsReady => _state.Ready;

    /// <summary>Why the store is not ready (for logs and the health check, never for API callers); null once ready.</summary>
    public string? Problem => _state.Ready ? null : _state.Problem;

    /// <summary>How long a caller should wait before retrying: until the verifier's next attempt, at least one second.</summary>
    public TimeSpan RetryAfter => _state.NextAttempt is { } next
        ? TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((next - _time.GetUtcNow()).TotalSeconds)))
        : TimeSpan.FromSeconds(5);

    /// <summary>Waits (at most <paramref name="timeout"/>) for the first verification to finish, whatever its outcome.</summary>
    public async Task WaitForFirstCheckAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _firstCheck.Task.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Still checking: the caller reports "not ready".
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_state.Ready
            ? HealthCheckResult.Healthy("Cosmos DB layout verified.")
            : HealthCheckResult.Unhealthy(_state.Problem));

    internal void ReportReady()
    {
        _state = new Snapshot(true, "", null);
        _firstCheck.TrySetResult();
    }

    internal void ReportNotReady(string problem, DateTimeOffset nextAttempt)
    {
        _state = new Snapshot(false, problem, nextAttempt);
        _firstCheck.TrySetResult();
    }

    private sealed record Snapshot(bool Ready, string Problem, DateTimeOffset? NextAttempt);
}
