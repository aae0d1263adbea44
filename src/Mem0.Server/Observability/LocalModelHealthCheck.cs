using Mem0.Local.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mem0.Server.Observability;

/// <summary>
/// Readiness of the embedding model: the in-process model is loaded (the first probe loads it, once, as the
/// first request would); a remote provider only has to be buildable from the settings (calling it would cost money).
/// </summary>
internal sealed class LocalModelHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string Name = "model";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>() is LocalEmbeddingGenerator local)
            {
                await Task.Run(local.EnsureLoaded, cancellationToken);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The embedding model is not available.", ex);
        }
    }
}
