namespace Mem0.Core.Common;

/// <summary>Base of the domain errors that the HTTP layer maps to status codes in one table.</summary>
public abstract class Mem0Exception : Exception
{
    protected Mem0Exception(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>Bad input (400). <see cref="Field"/> names the offending field, e.g. <c>filters.AND[1].created_at</c>.</summary>
public class ValidationException : Mem0Exception
{
    public ValidationException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    public string Field { get; }
}

/// <summary>A malformed filter, or a field or operator a store cannot evaluate (400).</summary>
public sealed class FilterValidationException : ValidationException
{
    public FilterValidationException(string field, string message)
        : base(field, message)
    {
    }
}

/// <summary>What kind of thing a <see cref="NotFoundException"/> did not find.</summary>
public enum ResourceKind
{
    Memory,
    Event,
    Webhook,
    WebhookDelivery,
    Project,
    ApiKey,
    Page,
    Export,
    JobPayload,
}

/// <summary>Something that does not exist in the caller's project (404); <see cref="Resource"/> says what.</summary>
public class NotFoundException : Mem0Exception
{
    public NotFoundException(ResourceKind resource, string message)
        : base(message)
    {
        Resource = resource;
    }

    public ResourceKind Resource { get; }
}

/// <summary>A memory that does not exist in the caller's project, or that a pending scope delete hides (404).</summary>
public sealed class MemoryNotFoundException : NotFoundException
{
    public MemoryNotFoundException(string message)
        : base(ResourceKind.Memory, message)
    {
    }
}

/// <summary>The record changed since it was read (409); nothing was written.</summary>
public sealed class ConcurrencyConflictException : Mem0Exception
{
    public ConcurrencyConflictException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A dependency asked us to slow down (429 / 503 with Retry-After).</summary>
public sealed class ThrottledException : Mem0Exception
{
    public ThrottledException(string message, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan? RetryAfter { get; }
}

/// <summary>The language model failed or returned output we could not use, after the retry (502). Nothing was written.</summary>
public sealed class ExtractionFailedException : Mem0Exception
{
    public ExtractionFailedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
