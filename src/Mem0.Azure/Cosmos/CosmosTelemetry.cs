using System.Diagnostics.Metrics;
using System.Net;
using Mem0.Core.Common;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;

namespace Mem0.Azure.Cosmos;

/// <summary>Records the RU charge of every Cosmos DB call (Debug log + histogram) and maps status codes to domain errors.</summary>
public sealed partial class CosmosTelemetry
{
    public const string MeterName = "Mem0.Azure.Cosmos";
    public const string RequestChargeInstrument = "mem0.cosmos.request_charge";

    private readonly Histogram<double> _requestCharge;
    private readonly ILogger<CosmosTelemetry> _logger;

    public CosmosTelemetry(IMeterFactory meterFactory, ILogger<CosmosTelemetry> logger)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _logger = logger;
        var meter = meterFactory.Create(MeterName);
        _requestCharge = meter.CreateHistogram<double>(RequestChargeInstrument, unit: "RU", description: "Request units charged per Cosmos DB operation.");
    }

    public void RecordCharge(string container, string operation, double requestCharge)
    {
        _requestCharge.Record(
            requestCharge,
            new KeyValuePair<string, object?>("container", container),
            new KeyValuePair<string, object?>("operation", operation));
        LogCharge(container, operation, requestCharge);
    }

    /// <summary>
    /// The domain exception for a failed call, or null when the status has no domain meaning (the caller rethrows).
    /// 404 → not found, 409 and 412 → concurrency conflict (nothing was overwritten), 429 → throttled with Retry-After.
    /// </summary>
    public static Exception? MapStatus(HttpStatusCode status, TimeSpan? retryAfter, ResourceKind resource, string what, Exception? inner = null) => status switch
    {
        HttpStatusCode.NotFound => NotFound(resource, $"{what} not found."),
        HttpStatusCode.Conflict => new ConcurrencyConflictException($"{what} already exists.", inner),
        HttpStatusCode.PreconditionFailed => new ConcurrencyConflictException($"{what} was changed by another request; nothing was written.", inner),
        HttpStatusCode.TooManyRequests => new ThrottledException("Cosmos DB is throttling requests; retry later.", retryAfter ?? TimeSpan.FromSeconds(1), inner),
        _ => null,
    };

    /// <summary>True for the statuses <see cref="MapStatus"/> turns into domain errors (use as an exception filter).</summary>
    public static bool IsDomainStatus(HttpStatusCode status) =>
        status is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.TooManyRequests;

    /// <summary>Maps a failed call whose status passed <see cref="IsDomainStatus"/>.</summary>
    public static Exception Map(CosmosException exception, ResourceKind resource, string what)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return MapStatus(exception.StatusCode, exception.RetryAfter, resource, what, exception) ?? exception;
    }

    /// <summary>
    /// The not-found error for <paramref name="resource"/>; memories keep their own subtype because the engine
    /// retries and skips on it.
    /// </summary>
    public static NotFoundException NotFound(ResourceKind resource, string message) =>
        resource == ResourceKind.Memory ? new MemoryNotFoundException(message) : new NotFoundException(resource, message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cosmos {Operation} on {Container} charged {RequestCharge} RU")]
    private partial void LogCharge(string container, string operation, double requestCharge);
}
