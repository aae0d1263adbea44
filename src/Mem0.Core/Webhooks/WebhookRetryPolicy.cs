using Microsoft.Extensions.Options;

namespace Mem0.Core.Webhooks;

/// <summary>Exponential backoff with full jitter between delivery attempts.</summary>
public sealed class WebhookRetryPolicy
{
    private readonly WebhookOptions _options;
    private readonly Func<double> _random;

    public WebhookRetryPolicy(IOptions<WebhookOptions> options)
        : this(options, Random.Shared.NextDouble)
    {
    }

    /// <param name="options">Attempts and delays.</param>
    /// <param name="random">A source of values in [0,1), replaceable in tests.</param>
    public WebhookRetryPolicy(IOptions<WebhookOptions> options, Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _random = random;
    }

    public int MaxAttempts => _options.MaxAttempts;

    /// <summary>True when attempt number <paramref name="attempt"/> (1-based) may be followed by another.</summary>
    public bool CanRetry(int attempt) => attempt < _options.MaxAttempts;

    /// <summary>
    /// Delay before attempt <paramref name="attempt"/>+1: half the exponential step fixed, half random, so many
    /// webhooks failing together do not retry in lock-step yet none retries sooner than half the step.
    /// </summary>
    public TimeSpan GetDelay(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var step = Math.Min(_options.InitialRetryDelay.TotalMilliseconds * Math.Pow(2, exponent), _options.MaxRetryDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((step / 2) + (step / 2 * _random()));
    }
}
