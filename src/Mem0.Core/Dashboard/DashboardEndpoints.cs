using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Mem0.Core.Dashboard;

/// <summary>
/// Serves the web dashboard under <c>/dashboard/</c>: the same handler on Kestrel (Mem0.Server) and behind the Functions
/// trigger, so both hosts answer with the same files and the same security headers. The files are public; the API key
/// is checked by the API calls the dashboard makes, never by this handler.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>The URL the dashboard lives at; <c>/dashboard</c> redirects here so relative module URLs resolve.</summary>
    public const string BasePath = "/dashboard/";

    /// <summary>The route both hosts register (a catch-all, which also matches <c>/dashboard</c> itself).</summary>
    public const string RouteTemplate = "/dashboard/{*path}";

    /// <summary>The endpoint and Functions name.</summary>
    public const string Name = "Dashboard";

    /// <summary>
    /// Only our own files, no inline script or style, no framing, no base or form redirection: memory text is user content,
    /// and even if a rendering bug let markup through, the browser would refuse to run it.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private const string EntryFile = "index.html";

    /// <summary>The dashboard route as the hosts' route tables describe it (the Functions metadata test compares with it).</summary>
    public static Http.Mem0Route Route { get; } = new("GET", RouteTemplate, Name, Serve, RequiresApiKey: false);

    /// <summary>Maps the dashboard on an ASP.NET Core host.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(Route.Template, [Route.Method], Serve).WithName(Route.Name).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// <c>/dashboard</c> → 301 to <c>/dashboard/</c>; <c>/dashboard/</c> and <c>/dashboard/index.html</c> → the entry page;
    /// a known file → that file (304 when the ETag matches); anything else → 404 (never the entry page, so a typo in a
    /// module URL fails loudly instead of loading HTML as script).
    /// </summary>
    public static IResult Serve(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ApplySecurityHeaders(request.HttpContext.Response);
        var path = request.Path.Value ?? string.Empty;
        if (string.Equals(path, BasePath.TrimEnd('/'), StringComparison.Ordinal))
        {
            return Results.Redirect(request.PathBase + BasePath, permanent: true);
        }

        if (!path.StartsWith(BasePath, StringComparison.Ordinal))
        {
            return NotFound();
        }

        var relative = path[BasePath.Length..];
        var file = DashboardFiles.Find(relative.Length == 0 ? EntryFile : relative);
        if (file is null)
        {
            return NotFound();
        }

        var response = request.HttpContext.Response;
        response.Headers.ETag = file.ETag;

        // Revalidate every time: the files change with each release, and a 304 costs one small round trip.
        response.Headers.CacheControl = "no-cache";
        if (request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == file.ETag)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(file.Content, file.ContentType);
    }

    /// <summary>The headers every dashboard response carries, errors and redirects included.</summary>
    public static void ApplySecurityHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers[HeaderNames.XFrameOptions] = "DENY";
    }

    private static IResult NotFound() => Results.Text("Not found", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
