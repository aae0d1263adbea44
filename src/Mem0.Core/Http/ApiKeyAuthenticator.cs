using Mem0.Core.Projects;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>Resolves <c>Authorization: Token &lt;key&gt;</c> to a caller. Shared by the server's filter and the Functions middleware.</summary>
public sealed class ApiKeyAuthenticator(IProjectStore projects)
{
    public const string InvalidKeyMessage =
        "Invalid API key. Send it as 'Authorization: Token <key>'; keys are created by the admin API or printed by the server at first start.";

    /// <summary>The caller for this header value, or null when it is missing, malformed, unknown or revoked.</summary>
    public async Task<CallerContext?> AuthenticateAsync(string? authorizationHeader, CancellationToken cancellationToken = default)
    {
        var key = ExtractKey(authorizationHeader);
        if (key is null)
        {
            return null;
        }

        var record = await projects.FindApiKeyByHashAsync(ApiKeys.Hash(key), cancellationToken);
        return record is null || record.RevokedAt is not null
            ? null
            : new CallerContext(record.OrgId, record.ProjectId, record.Id);
    }

    /// <summary>Authenticates the request and attaches the caller; returns the 401 result when that fails.</summary>
    public async Task<IResult?> AuthenticateAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var caller = await AuthenticateAsync(httpContext.Request.Headers.Authorization.ToString(), httpContext.RequestAborted);
        if (caller is null)
        {
            return ApiErrors.Json(StatusCodes.Status401Unauthorized, InvalidKeyMessage);
        }

        caller.Attach(httpContext);
        return null;
    }

    /// <summary><c>Token k</c> (the Mem0 scheme) or <c>Bearer k</c>; anything else is no key.</summary>
    internal static string? ExtractKey(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var trimmed = header.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = trimmed[..space];
        var key = trimmed[(space + 1)..].Trim();
        var knownScheme = scheme.Equals("Token", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
        return knownScheme && key.Length > 0 ? key : null;
    }
}

/// <summary>The server's endpoint filter over <see cref="ApiKeyAuthenticator"/>.</summary>
public sealed class ApiKeyEndpointFilter(ApiKeyAuthenticator authenticator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var failure = await authenticator.AuthenticateAsync(context.HttpContext);
        return failure ?? await next(context);
    }
}
