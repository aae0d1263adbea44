using Mem0.Core.Mcp;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>
/// <c>/mcp</c> on the Functions host: the request goes to <see cref="McpEndpoint"/>, the handler the local server maps too.
/// It is served statelessly: no MCP session lives in a worker's memory, so scaled-out instances answer any request.
/// </summary>
public sealed class McpFunctions(McpEndpoint endpoint)
{
    /// <summary>The function's name, which the Functions middleware gates on store readiness like the API's.</summary>
    public const string FunctionName = "Mcp";

    // The result streams the SDK's answer (JSON or an SSE stream) into the worker's HttpContext when the worker renders it.
    [Function(FunctionName)]
    public IResult Mcp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", Route = "mcp")] HttpRequest request) =>
        new McpResult(endpoint);

    private sealed class McpResult(McpEndpoint endpoint) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => endpoint.HandleAsync(httpContext);
    }
}
