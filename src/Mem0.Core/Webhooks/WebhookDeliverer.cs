using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Webhooks;

/// <summary>How one attempt ended.</summary>
public enum DeliveryAttemptOutcome
{
    Succeeded,

    /// <summary>Network error, timeout, 408, 429 or 5xx: worth another attempt.</summary>
    Retryable,

    /// <summary>Any other answer (4xx, redirects) or a refused destination: retrying would not help.</summary>
    Permanent,
}

public sealed record DeliveryAttemptResult(DeliveryAttemptOutcome Outcome, int? StatusCode, string? ResponseExcerpt, string? Error);

/// <summary>POSTs one signed delivery with a per-attempt timeout and classifies the answer.</summary>
public sealed partial class WebhookDeliverer
{
    /// <summary>Name of the <see cref="IHttpClientFactory"/> client whose handler enforces <see cref="DestinationGuard"/>.</summary>
    public const string HttpClientName = "Mem0.Webhooks";

    private const int ExcerptBytes = 2048;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly WebhookOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WebhookDeliverer> _logger;

    public WebhookDeliverer(IHttpClientFactory httpClientFactory, IOptions<WebhookOptions> options, TimeProvider timeProvider, ILogger<WebhookDeliverer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Creates the primary handler for the webhook client: the guard checks every connection, no proxy (it would
    /// connect on our behalf, bypassing the check), no redirects, no cookies.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(DestinationGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = guard.ConnectAsync,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
    }

    public async Task<DeliveryAttemptResult> SendAsync(string url, string secret, WebhookDeliveryMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var body = WebhookPayload.CreateBody(message);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Mem0-Webhooks", "1.0"));
        request.Headers.Add(WebhookSigner.SignatureHeader, WebhookSigner.Sign(secret, _timeProvider.GetUtcNow(), body));
        request.Headers.Add(WebhookSigner.DeliveryIdHeader, message.DeliveryId);
        request.Headers.Add(WebhookSigner.EventTypeHeader, message.EventType);

        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var client = _httpClientFactory.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var excerpt = await ReadExcerptAsync(response, linked.Token);
            var status = (int)response.StatusCode;
            var outcome = Classify(response.StatusCode);
            LogAttempt(_logger, message.DeliveryId, message.Attempt, status, outcome);
            return new DeliveryAttemptResult(
                outcome,
                status,
                excerpt,
                outcome == DeliveryAttemptOutcome.Succeeded ? null : $"The receiver answered HTTP {status}.");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogFailure(_logger, message.DeliveryId, message.Attempt, "timeout");
            return new DeliveryAttemptResult(DeliveryAttemptOutcome.Retryable, null, null, $"No answer within {_options.AttemptTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex) when (FindRefusal(ex) is { } refused)
        {
            LogFailure(_logger, message.DeliveryId, message.Attempt, "refused destination");
            return new DeliveryAttemptResult(DeliveryAttemptOutcome.Permanent, null, null, "Destination refused: " + refused.Message);
        }
        catch (HttpRequestException ex)
        {
            LogFailure(_logger, message.DeliveryId, message.Attempt, ex.HttpRequestError.ToString());
            return new DeliveryAttemptResult(DeliveryAttemptOutcome.Retryable, null, null, "Network error: " + ex.HttpRequestError);
        }
    }

    public static DeliveryAttemptOutcome Classify(HttpStatusCode statusCode)
    {
        var code = (int)statusCode;
        return code switch
        {
            >= 200 and < 300 => DeliveryAttemptOutcome.Succeeded,
            408 or 429 or >= 500 => DeliveryAttemptOutcome.Retryable,
            _ => DeliveryAttemptOutcome.Permanent,
        };
    }

    private static WebhookDestinationRefusedException? FindRefusal(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is WebhookDestinationRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>Reads at most a few KB of the answer: receivers' bodies are kept only as a short excerpt.</summary>
    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ExcerptBytes];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }

            return read == 0 ? null : WebhookDelivery.Excerpt(Encoding.UTF8.GetString(buffer, 0, read));
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or SocketException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} attempt {Attempt}: HTTP {StatusCode} ({Outcome})")]
    private static partial void LogAttempt(ILogger logger, string deliveryId, int attempt, int statusCode, DeliveryAttemptOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} attempt {Attempt} failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string deliveryId, int attempt, string reason);
}
