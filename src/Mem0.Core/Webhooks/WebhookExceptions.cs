using Mem0.Core.Common;

namespace Mem0.Core.Webhooks;

/// <summary>Invalid registration input (400), keyed by field like Django REST framework: <c>{"url": ["..."]}</c>.</summary>
public sealed class WebhookValidationException : ValidationException
{
    public WebhookValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(errors.Keys.First(), string.Join(" ", errors.Values.SelectMany(v => v)))
    {
        Errors = errors;
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>The webhook or project belongs to another project than the caller's key (403).</summary>
public sealed class WebhookAccessDeniedException : Mem0Exception
{
    public WebhookAccessDeniedException(string message)
        : base(message)
    {
    }
}

/// <summary>A delivery was not attempted because its destination resolves to a refused address.</summary>
public sealed class WebhookDestinationRefusedException : Exception
{
    public WebhookDestinationRefusedException(string message)
        : base(message)
    {
    }
}

/// <summary>A redelivery asked for a delivery that is not dead-lettered or skipped, or for a disabled webhook (409).</summary>
public sealed class WebhookRedeliveryConflictException : Mem0Exception
{
    public WebhookRedeliveryConflictException(string message)
        : base(message)
    {
    }
}
