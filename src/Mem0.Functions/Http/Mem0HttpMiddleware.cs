using System.Globalization;
using Mem0.Azure.Cosmos;
using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Mem0.Functions.Http;

/// <summary>
/// The Functions counterpart of the server's <see cref="ApiKeyEndpointFilter"/>: authenticates <c>Token</c> API keys with
/// the shared <see cref="ApiKeyAuthenticator"/> for every route that requires one (per Core's route table), and maps
/// anything a handler let escape through the shared <see cref="ApiErrors"/> table. Until the Cosmos DB layout is verified
/// (<see cref="CosmosReadiness"/>), API routes and <c>/mcp</c> answer 503 with Retry-After (<c>/mcp</c> authenticates
/// itself, in <see cref="Mem0.Core.Mcp.McpEndpoint"/>). Non-HTTP functions pass through.
/// </summary>
public sealed class Mem0HttpMiddleware : IFunctionsWorkerMiddleware
{
    /// <summary>How long a request that arrives during the first layout check (a cold start) waits for its outcome.</summary>
    internal static readonly TimeSpan FirstCheckWait = TimeSpan.FromSeconds(15);

    private static readonly Dictionary<string, Mem0Route> s_routesByName = Mem0Routes.All.ToDictionary(r => r.Name, StringComparer.Ordinal);

    private readonly ApiKeyAuthenticator _authenticator;
    private readonly CosmosReadiness? _readiness;

    /// <param name="authenticator">Resolves API keys to projects.</param>
    /// <param name="readiness">The store's readiness; absent only where no Cosmos DB store is used (tests).</param>
    public Mem0HttpMiddleware(ApiKeyAuthenticator authenticator, CosmosReadiness? readiness = null)
    {
        _authenticator = authenticator;
        _readiness = readiness;
    }

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var httpContext = context.GetHttpContext();
        if (httpContext is null)
        {
            await next(context);
            return;
        }

        var rejection = await NotReadyAsync(context.FunctionDefinition.Name, httpContext)
            ?? await AuthenticateAsync(context.FunctionDefinition.Name, httpContext);
        if (rejection is not null)
        {
            context.GetInvocationResult().Value = rejection;
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !httpContext.RequestAborted.IsCancellationRequested)
        {
            context.GetInvocationResult().Value = ApiErrors.ToResult(ex, httpContext);
        }
    }

    /// <summary>
    /// The 503 result for an API route while the store is not ready (authentication itself needs the store); null to
    /// continue. A request during the first check waits for it, so a cold start's first call is served, not refused.
    /// </summary>
    public async Task<IResult?> NotReadyAsync(string functionName, HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var needsStore = s_routesByName.ContainsKey(functionName) || functionName == McpFunctions.FunctionName;
        if (_readiness is null || _readiness.IsReady || !needsStore)
        {
            return null;
        }

        await _readiness.WaitForFirstCheckAsync(FirstCheckWait, httpContext.RequestAborted);
        if (_readiness.IsReady)
        {
            return null;
        }

        httpContext.Response.Headers.RetryAfter = ((int)_readiness.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return ApiErrors.Json(StatusCodes.Status503ServiceUnavailable, "The service is starting and its database is not ready yet; retry after the Retry-After delay.");
    }

    /// <summary>The 401 result for a route that needs an API key and did not get a valid one; null to continue.</summary>
    public async Task<IResult?> AuthenticateAsync(string functionName, HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return s_routesByName.TryGetValue(functionName, out var route) && route.RequiresApiKey
            ? await _authenticator.AuthenticateAsync(httpContext)
            : null;
    }
}
