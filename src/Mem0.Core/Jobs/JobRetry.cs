using Mem0.Core.Common;
using Microsoft.DurableTask;

namespace Mem0.Core.Jobs;

/// <summary>Which activity failures are worth retrying, and with what backoff.</summary>
public static class JobRetry
{
    /// <summary>Exponential backoff (×2, capped at a minute) for transient failures only; a bad request fails at once.</summary>
    public static TaskOptions Options(JobSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var policy = new RetryPolicy(
            settings.MaxAttempts,
            TimeSpan.FromSeconds(Math.Max(0.001, settings.FirstRetrySeconds)),
            backoffCoefficient: 2,
            maxRetryInterval: TimeSpan.FromMinutes(1))
        {
            HandleFailure = IsTransient,
        };
        return TaskOptions.FromRetryPolicy(policy);
    }

    /// <summary>Throttling (LLM or store 429), network errors, timeouts and write races are transient.</summary>
    public static bool IsTransient(TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.IsCausedBy<ThrottledException>()
            || failure.IsCausedBy<HttpRequestException>()
            || failure.IsCausedBy<TimeoutException>()
            || failure.IsCausedBy<ConcurrencyConflictException>()
            || (failure.InnerFailure is { } inner && IsTransient(inner));
    }

    /// <summary>The reason shown on the event: our domain errors say what went wrong; anything else stays in the log.</summary>
    public static string Describe(TaskFailureDetails? failure)
    {
        for (var current = failure; current is not null; current = current.InnerFailure)
        {
            if (current.IsCausedBy<Mem0Exception>())
            {
                return current.ErrorMessage;
            }
        }

        return failure is null
            ? "The job failed."
            : $"The job failed ({ShortTypeName(failure.ErrorType)}); see the server log.";
    }

    private static string ShortTypeName(string typeName) =>
        typeName.LastIndexOf('.') is var dot and >= 0 ? typeName[(dot + 1)..] : typeName;
}
