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
        return Is<ThrottledException>(failure)
            || Is<HttpRequestException>(failure)
            || Is<TimeoutException>(failure)
            || Is<ConcurrencyConflictException>(failure)
            || (failure.InnerFailure is { } inner && IsTransient(inner));
    }

    /// <summary>The reason shown on the event: our domain errors say what went wrong; anything else stays in the log.</summary>
    public static string Describe(TaskFailureDetails? failure)
    {
        for (var current = failure; current is not null; current = current.InnerFailure)
        {
            if (current.ErrorType.StartsWith("Mem0.Core.", StringComparison.Ordinal) || Is<Mem0Exception>(current))
            {
                return current.ErrorMessage;
            }
        }

        return failure is null
            ? "The job failed."
            : $"The job failed ({ShortTypeName(failure.ErrorType)}); see the server log.";
    }

    /// <summary>
    /// By name first: <see cref="TaskFailureDetails.IsCausedBy{T}"/> resolves the failure's type by its bare name and throws
    /// (AmbiguousMatchException) for names several loaded assemblies define, e.g. HttpRequestException.
    /// </summary>
    private static bool Is<T>(TaskFailureDetails failure)
        where T : Exception
    {
        if (string.Equals(failure.ErrorType, typeof(T).FullName, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return failure.IsCausedBy<T>();
        }
        catch (System.Reflection.AmbiguousMatchException)
        {
            return false;
        }
    }

    private static string ShortTypeName(string typeName) =>
        typeName.LastIndexOf('.') is var dot and >= 0 ? typeName[(dot + 1)..] : typeName;
}
