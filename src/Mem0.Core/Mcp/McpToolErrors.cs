using System.Text.Json;
using Mem0.Core.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Mem0.Core.Mcp;

/// <summary>
/// The call-tool filter: arguments checked against the tool's schema first, then the domain errors a use case throws
/// mapped to tool errors (<c>isError: true</c>) that name the argument, the same table the HTTP API's 4xx answers use.
/// What is not the caller's fault is left to the SDK, which answers a generic tool error and logs it.
/// </summary>
internal static partial class McpToolErrors
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            if (request.MatchedPrimitive is McpServerTool tool
                && McpToolArguments.FirstProblem(tool.ProtocolTool.InputSchema, request.Params?.Arguments) is { } problem)
            {
                return McpToolResults.Error(problem.Message, problem.Argument);
            }

            try
            {
                return await next(request, cancellationToken);
            }
            catch (Exception ex) when (ToToolError(ex) is { } error)
            {
                if (request.Services?.GetService<ILoggerFactory>() is { } loggers)
                {
                    LogToolRefused(loggers.CreateLogger("Mem0.Core.Mcp.MemoryTools"), request.Params?.Name, ex.GetType().Name);
                }

                return error;
            }
        };

    /// <summary>The tool error for a caller's mistake (bad argument, unknown id, busy); null for anything else.</summary>
    internal static CallToolResult? ToToolError(Exception exception) => exception switch
    {
        ValidationException validation => McpToolResults.Error($"Invalid argument '{validation.Field}': {validation.Message}", validation.Field),
        NotFoundException notFound => McpToolResults.Error($"Not found: {notFound.Message}"),
        ConcurrencyConflictException => McpToolResults.Error("The memory changed while this call ran; nothing was written. Read it again and retry."),
        ThrottledException => McpToolResults.Error("The service is busy; retry in a moment."),
        Http.PayloadTooLargeException tooLarge => McpToolResults.Error(tooLarge.Message),
        JsonException json => McpToolResults.Error($"Invalid arguments: {json.Message}"),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP tool {Tool} refused the call: {Reason}")]
    private static partial void LogToolRefused(ILogger logger, string? tool, string reason);
}
