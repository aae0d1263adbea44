using System.Globalization;
using Mem0.Core.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Core.Http;

/// <summary>Which extra key an endpoint's error bodies carry besides <c>detail</c> (the platform is not uniform, contract §6).</summary>
public enum ErrorKey
{
    /// <summary><c>{"detail": "...", "error": "..."}</c>: memories, events, batch.</summary>
    Error,

    /// <summary><c>{"detail": "...", "message": "..."}</c>: entities, project settings, v2 list.</summary>
    Message,

    /// <summary><c>{"detail": "...", "error": "400 Bad Request", "details": {"message": "..."}}</c>: v1/v3 add.</summary>
    AddStyle,
}

/// <summary>The one table mapping exceptions to status codes and Mem0-shaped JSON bodies.</summary>
public static partial class ApiErrors
{
    public const string RequestIdHeader = "X-Request-ID";

    /// <summary>Status code for an exception; everything unknown is a 500.</summary>
    public static int StatusFor(Exception exception) => exception switch
    {
        RequestTooLargeException => StatusCodes.Status413PayloadTooLarge,
        ValidationException => StatusCodes.Status400BadRequest,
        UnauthorizedException { Forbidden: true } => StatusCodes.Status403Forbidden,
        UnauthorizedException => StatusCodes.Status401Unauthorized,
        NotFoundException => StatusCodes.Status404NotFound,
        ConcurrencyConflictException => StatusCodes.Status409Conflict,
        PayloadTooLargeException => StatusCodes.Status413PayloadTooLarge,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => StatusCodes.Status413PayloadTooLarge,
        BadHttpRequestException => StatusCodes.Status400BadRequest,
        ThrottledException => StatusCodes.Status429TooManyRequests,
        ExtractionFailedException => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Turns an exception into the response, logging what is not the caller's fault.</summary>
    public static IResult ToResult(Exception exception, HttpContext httpContext, ErrorKey key = ErrorKey.Error)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(httpContext);
        var status = StatusFor(exception);
        var logger = httpContext.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("Mem0.Core.Http.ApiErrors")
            ?? NullLogger.Instance;

        string message;
        switch (exception)
        {
            case Mem0Exception when status < 500:
                message = exception.Message;
                break;
            case BadHttpRequestException when status == StatusCodes.Status413PayloadTooLarge:
                message = "Request body is too large.";
                break;
            case BadHttpRequestException:
                message = "Bad request.";
                break;
            case ThrottledException:
                message = "The service is busy; retry later.";
                break;
            case ExtractionFailedException:
                LogUpstreamFailure(logger, exception);
                message = "The language model failed to process the request; nothing was stored.";
                break;
            default:
                var requestId = RequestId(httpContext);
                LogUnhandled(logger, requestId, exception);
                httpContext.Response.Headers[RequestIdHeader] = requestId;
                return Results.Json(
                    new Dictionary<string, object?>
                    {
                        ["detail"] = $"Internal server error (request id {requestId}).",
                        [key == ErrorKey.Message ? "message" : "error"] = "Internal server error",
                        ["request_id"] = requestId,
                    },
                    Mem0Json.Options,
                    statusCode: status);
        }

        if (exception is ThrottledException { RetryAfter: { } retryAfter })
        {
            httpContext.Response.Headers.RetryAfter =
                Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        else if (exception is ThrottledException)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return Results.Json(Body(message, exception, key, status), Mem0Json.Options, statusCode: status);
    }

    /// <summary>
    /// The host's last resort (<c>UseExceptionHandler</c>): whatever escaped the handlers' own mapping still answers the
    /// Mem0 JSON 500 with a request id, never a stack trace, in every environment including Development.
    /// </summary>
    public static Task WriteUnhandledAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var exception = httpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error
            ?? new InvalidOperationException("Unknown failure.");
        return ToResult(exception, httpContext).ExecuteAsync(httpContext);
    }

    /// <summary>An error body without an exception (e.g. auth failures decided by a filter).</summary>
    public static IResult Json(int status, string message, ErrorKey key = ErrorKey.Error) =>
        Results.Json(Body(message, null, key, status), Mem0Json.Options, statusCode: status);

    private static Dictionary<string, object?> Body(string message, Exception? exception, ErrorKey key, int status)
    {
        var body = new Dictionary<string, object?> { ["detail"] = message };
        switch (key)
        {
            case ErrorKey.AddStyle when status == StatusCodes.Status400BadRequest:
                body["error"] = "400 Bad Request";
                body["details"] = new Dictionary<string, object?> { ["message"] = message };
                break;
            case ErrorKey.Message:
                body["message"] = message;
                break;
            default:
                body["error"] = message;
                break;
        }

        if (exception is ValidationException validation)
        {
            body["field"] = validation.Field;
        }

        return body;
    }

    private static string RequestId(HttpContext httpContext)
    {
        var existing = httpContext.Response.Headers[RequestIdHeader].ToString();
        return existing.Length > 0 ? existing : Guid.NewGuid().ToString("N")[..12];
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Unhandled error while serving request {RequestId}")]
    private static partial void LogUnhandled(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Extraction failed upstream")]
    private static partial void LogUpstreamFailure(ILogger logger, Exception exception);
}
