using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Mem0.Functions.Http;

/// <summary>
/// The Functions counterpart of the server's <see cref="ApiKeyEndpointFilter"/>: authenticates <c>Token</c> API keys with
/// the shared <see cref="ApiKeyAuthenticator"/> for every route that requires one (per Core's route table), and maps
/// anything a handler let escape through the shared <see cref="ApiErrors"/> table. Non-HTTP functions pass through.
/// </summary>
public sealed class Mem0HttpMiddleware : IFunctionsWorkerMiddleware
{
    private static readonly Dictionary<string, Mem0Route> s_routesByName = Mem0Routes.All.ToDictionary(r => r.Name, StringComparer.Ordinal);

    private readonly ApiKeyAuthenticator _authenticator;

    public Mem0HttpMiddleware(ApiKeyAuthenticator authenticator)
    {
        _authenticator = authenticator;
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

        var rejection = await AuthenticateAsync(context.FunctionDefinition.Name, httpContext);
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

    /// <summary>The 401 result for a route that needs an API key and did not get a valid one; null to continue.</summary>
    public async Task<IResult?> AuthenticateAsync(string functionName, HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return s_routesByName.TryGetValue(functionName, out var route) && route.RequiresApiKey
            ? await _authenticator.AuthenticateAsync(httpContext)
            : null;
    }
}
