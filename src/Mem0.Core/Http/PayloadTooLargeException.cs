using Mem0.Core.Common;

namespace Mem0.Core.Http;

/// <summary>The request body is larger than the endpoint accepts (413).</summary>
public sealed class PayloadTooLargeException : Mem0Exception
{
    public PayloadTooLargeException(long limitBytes)
        : base($"Request body is larger than the limit of {limitBytes} bytes.")
    {
        LimitBytes = limitBytes;
    }

    public long LimitBytes { get; }
}

/// <summary>The caller is not allowed to do this (401 without valid credentials, 403 when disabled).</summary>
public sealed class UnauthorizedException : Mem0Exception
{
    public UnauthorizedException(string message, bool forbidden = false)
        : base(message)
    {
        Forbidden = forbidden;
    }

    public bool Forbidden { get; }
}

/// <summary>A request over one of <see cref="RequestLimits"/>' size limits (413 naming the field).</summary>
public sealed class RequestTooLargeException(string field, string message) : ValidationException(field, message);
