using Mem0.Core.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Mcp;

/// <summary>
/// The <c>/mcp</c> endpoint of both hosts: authenticates the API key and reads the connection's default scope before the
/// MCP SDK sees the request, applies the API's body limit, then hands the request to the SDK's Streamable HTTP handling.
/// </summary>
/// <remarks>
/// The SDK's public entry point is <c>MapMcp</c> on an <see cref="IEndpointRouteBuilder"/>; its handler type is internal.
/// The Functions worker has no endpoint routing of its own to map into, so this class maps the SDK once into a private
/// route builder and keeps the request delegates it produced, per HTTP method. The server maps this class at
/// <see cref="Path"/> and a Functions trigger calls <see cref="HandleAsync"/>: one code path on both hosts, served
/// statelessly (no session outlives a request, so any instance behind a load balancer can answer).
/// </remarks>
public sealed partial class McpEndpoint
{
    /// <summary>Where both hosts serve MCP.</summary>
    public const string Path = "/mcp";

    /// <summary>The methods the route accepts (Streamable HTTP); in stateless mode only POST has a handler, the others answer 405.</summary>
    public static IReadOnlyList<string> Methods { get; } = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete];

    private readonly IServiceProvider _services;
    private readonly ApiKeyAuthenticator _authenticator;
    private readonly ILogger<McpEndpoint> _logger;
    private readonly Lazy<IReadOnlyDictionary<string, RequestDelegate>> _handlers;

    public McpEndpoint(IServiceProvider services, ApiKeyAuthenticator authenticator, ILogger<McpEndpoint> logger)
    {
        _services = services;
        _authenticator = authenticator;
        _logger = logger;
        _handlers = new Lazy<IReadOnlyDictionary<string, RequestDelegate>>(BuildHandlers);
    }

    /// <summary>The methods the SDK actually handles (POST only when stateless).</summary>
    public IReadOnlyCollection<string> HandledMethods => (IReadOnlyCollection<string>)_handlers.Value.Keys;

    /// <summary>Serves one MCP request; every refusal before the SDK answers in the API's JSON error shape.</summary>
    public async Task HandleAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var caller = await _authenticator.AuthenticateAsync(httpContext.Request.Headers.Authorization.ToString(), httpContext.RequestAborted);
        if (caller is null)
        {
            LogRefused(_logger);
            await ApiErrors.Json(StatusCodes.Status401Unauthorized, ApiKeyAuthenticator.InvalidKeyMessage).ExecuteAsync(httpContext);
            return;
        }

        if (!_handlers.Value.TryGetValue(httpContext.Request.Method, out var handler))
        {
            httpContext.Response.Headers.Allow = string.Join(", ", _handlers.Value.Keys);
            await ApiErrors.Json(
                StatusCodes.Status405MethodNotAllowed,
                $"{httpContext.Request.Method} is not served on {Path}: this server is stateless (no sessions); send JSON-RPC messages with POST.")
                .ExecuteAsync(httpContext);
            return;
        }

        // The same cap as every JSON body of the API: a declared length is refused up front, and where the server lets
        // us (Kestrel), a chunked body is cut off at the limit while it is read.
        if (httpContext.Request.ContentLength > JsonBody.DefaultMaxBytes)
        {
            await PayloadTooLarge(httpContext);
            return;
        }

        if (httpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = JsonBody.DefaultMaxBytes;
        }

        httpContext.User = new McpCaller(caller, McpCaller.DefaultScopeFrom(httpContext.Request)).ToPrincipal();
        try
        {
            if (HttpMethods.IsPost(httpContext.Request.Method)
                && await McpBodyCheck.CheckAsync(httpContext.Request, JsonBody.DefaultMaxBytes, httpContext.RequestAborted) is { } refusal)
            {
                await refusal.ExecuteAsync(httpContext);
                return;
            }

            await handler(httpContext);
        }
        catch (Exception ex) when (ex is PayloadTooLargeException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            && !httpContext.Response.HasStarted)
        {
            await PayloadTooLarge(httpContext);
        }
    }

    private static Task PayloadTooLarge(HttpContext httpContext) =>
        ApiErrors.ToResult(new PayloadTooLargeException(JsonBody.DefaultMaxBytes), httpContext).ExecuteAsync(httpContext);

    private Dictionary<string, RequestDelegate> BuildHandlers()
    {
        var routes = new CapturingRouteBuilder(_services);
        routes.MapMcp();
        var handlers = new Dictionary<string, RequestDelegate>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in routes.DataSources.SelectMany(d => d.Endpoints))
        {
            if (endpoint.RequestDelegate is not { } requestDelegate || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } methods)
            {
                continue;
            }

            foreach (var method in methods.HttpMethods)
            {
                handlers[method] = requestDelegate;
            }
        }

        return handlers.Count > 0
            ? handlers
            : throw new InvalidOperationException("The MCP SDK mapped no Streamable HTTP handlers.");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP request refused: missing or invalid API key")]
    private static partial void LogRefused(ILogger logger);

    /// <summary>A route builder that only collects what is mapped into it, for <see cref="BuildHandlers"/>.</summary>
    private sealed class CapturingRouteBuilder(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
