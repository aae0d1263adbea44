using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>Runs a handler body for the authenticated caller and maps any exception through <see cref="ApiErrors"/>.</summary>
internal static class EndpointRunner
{
    public static async Task<IResult> RunAsync(
        HttpRequest request,
        ErrorKey errorKey,
        Func<CallerContext, CancellationToken, Task<IResult>> body)
    {
        var httpContext = request.HttpContext;
        try
        {
            var caller = CallerContext.From(httpContext);
            return await body(caller, httpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !httpContext.RequestAborted.IsCancellationRequested)
        {
            return ApiErrors.ToResult(ex, httpContext, errorKey);
        }
    }

    /// <summary>For endpoints that authenticate themselves (admin).</summary>
    public static async Task<IResult> RunAnonymousAsync(
        HttpRequest request,
        ErrorKey errorKey,
        Func<CancellationToken, Task<IResult>> body)
    {
        var httpContext = request.HttpContext;
        try
        {
            return await body(httpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !httpContext.RequestAborted.IsCancellationRequested)
        {
            return ApiErrors.ToResult(ex, httpContext, errorKey);
        }
    }

    /// <summary>
    /// Serializes now, inside the handler's error mapping, rather than while the response streams: a value that cannot be
    /// written becomes a clean JSON 500 instead of a truncated 200 and a reset connection.
    /// </summary>
    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(JsonSerializer.Serialize(value, Mem0Json.Options), "application/json", System.Text.Encoding.UTF8, statusCode);
}
