using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>Who is calling: resolved from the API key, and the project every store and engine call is scoped to.</summary>
public sealed record CallerContext(string OrgId, string ProjectId, string KeyId)
{
    private static readonly object ItemKey = typeof(CallerContext);

    public void Attach(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Items[ItemKey] = this;
    }

    /// <summary>The caller set by the authentication filter/middleware; a missing one is a host wiring bug.</summary>
    public static CallerContext From(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.Items.TryGetValue(ItemKey, out var value) && value is CallerContext caller
            ? caller
            : throw new InvalidOperationException("No authenticated caller: the API key filter did not run for this endpoint.");
    }
}
