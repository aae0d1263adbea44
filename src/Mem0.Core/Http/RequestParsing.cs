using System.Globalization;
using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mem0.Core.Http;

/// <summary>Reading the pieces of Mem0 requests that several endpoints share.</summary>
internal static class RequestParsing
{
    public static readonly string[] ScopeFields = ["user_id", "agent_id", "app_id", "run_id"];

    /// <summary>
    /// A path parameter, percent-decoded exactly once. Kestrel has already decoded every escape in the path except
    /// <c>%2F</c> (so a segment is never split), which makes its route value ambiguous: <c>a%2Fb</c> there may have been
    /// sent as <c>a%2Fb</c> (meaning <c>a/b</c>) or as <c>a%252Fb</c> (meaning <c>a%2Fb</c>). So the value is decoded
    /// from the segment of the raw request target it came from; the route value only says which segment that is.
    /// Without a raw target (a host that does not report one) only <c>%2F</c> is decoded, since the rest already was.
    /// </summary>
    public static string DecodeSegment(HttpRequest request, string routeValue, string field)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(routeValue);
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var value = RawSegmentFor(rawTarget, routeValue) is { } raw ? Uri.UnescapeDataString(raw) : DecodeEncodedSlashes(routeValue);
        return string.IsNullOrWhiteSpace(value) ? throw new ValidationException(field, $"'{field}' must not be empty.") : value;
    }

    /// <summary>
    /// For a route value already decoded by the host except for <c>%2F</c> (Kestrel's rule): decodes the remaining
    /// <c>%2F</c>. Prefer <see cref="DecodeSegment(HttpRequest, string, string)"/>, which also gets <c>%252F</c> right.
    /// </summary>
    public static string DecodeSegment(string routeValue, string field)
    {
        ArgumentNullException.ThrowIfNull(routeValue);
        var value = DecodeEncodedSlashes(routeValue);
        return string.IsNullOrWhiteSpace(value) ? throw new ValidationException(field, $"'{field}' must not be empty.") : value;
    }

    /// <summary>
    /// The raw (still percent-encoded) path segment of <paramref name="rawTarget"/> that produced
    /// <paramref name="routeValue"/>, or null when none can be identified. A segment matches when the route value is
    /// what Kestrel makes of it (everything but <c>%2F</c> decoded), else when it is the segment verbatim or fully
    /// decoded (hosts that pass route values on with other decoding rules, such as the Functions host).
    /// </summary>
    internal static string? RawSegmentFor(string? rawTarget, string routeValue)
    {
        if (string.IsNullOrEmpty(rawTarget))
        {
            return null;
        }

        var path = rawTarget;
        var end = path.IndexOfAny(['?', '#']);
        if (end >= 0)
        {
            path = path[..end];
        }

        if (!path.StartsWith('/'))
        {
            // Absolute-form target (http://host/path): keep the path only.
            var scheme = path.IndexOf("://", StringComparison.Ordinal);
            var slash = scheme < 0 ? -1 : path.IndexOf('/', scheme + 3);
            if (slash < 0)
            {
                return null;
            }

            path = path[slash..];
        }

        var segments = path.Split('/');

        // Route parameters sit towards the end of our templates, so the last match is the likeliest one.
        return segments.LastOrDefault(s => DecodeExceptSlashes(s) == routeValue)
            ?? segments.LastOrDefault(s => s == routeValue)
            ?? segments.LastOrDefault(s => Uri.UnescapeDataString(s) == routeValue);
    }

    /// <summary>Decodes every escape except <c>%2F</c>/<c>%2f</c>, which stays as sent: what Kestrel does to a path.</summary>
    internal static string DecodeExceptSlashes(string raw)
    {
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            return raw;
        }

        var result = new System.Text.StringBuilder(raw.Length);
        var start = 0;
        for (var i = 0; i + 2 < raw.Length; i++)
        {
            if (raw[i] == '%' && raw[i + 1] == '2' && (raw[i + 2] is 'F' or 'f'))
            {
                result.Append(Uri.UnescapeDataString(raw[start..i])).Append(raw, i, 3);
                start = i + 3;
                i += 2;
            }
        }

        return result.Append(Uri.UnescapeDataString(raw[start..])).ToString();
    }

    private static string DecodeEncodedSlashes(string value) =>
        value.Contains('%', StringComparison.Ordinal)
            ? value.Replace("%2F", "/", StringComparison.Ordinal).Replace("%2f", "/", StringComparison.Ordinal)
            : value;

    /// <summary>Search and list take ids only inside <c>filters</c>, as the platform does.</summary>
    public static void RejectTopLevelIds(JsonBody body)
    {
        foreach (var field in ScopeFields)
        {
            if (body.HasValue(field))
            {
                throw new ValidationException(field, $"'{field}' must be given inside 'filters' (e.g. {{\"filters\": {{\"{field}\": \"...\"}}}}), not at the top level.");
            }
        }
    }

    public static string? Query(HttpRequest request, string name)
    {
        var value = request.Query[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public static bool QueryFlag(HttpRequest request, string name) =>
        Query(request, name) is { } value && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

}

/// <summary>Page and page size from the query string (which wins) or the body, plus the cursor our <c>next</c> links carry.</summary>
internal sealed record PageRequest(int Page, int PageSize, string? Cursor)
{
    /// <summary>Reads page and page size (query string first, then the body's); their ranges are checked by the service that pages (<see cref="Paging"/>).</summary>
    public static PageRequest From(HttpRequest request, int? bodyPage = null, int? bodyPageSize = null, int defaultPageSize = 100) =>
        new(
            QueryInt(request, "page") ?? bodyPage ?? 1,
            QueryInt(request, "page_size") ?? bodyPageSize ?? defaultPageSize,
            RequestParsing.Query(request, "cursor"));

    /// <summary>Both page params given explicitly (legacy endpoints answer an envelope only then).</summary>
    public static bool IsExplicit(HttpRequest request, int? bodyPage, int? bodyPageSize) =>
        (request.Query.ContainsKey("page") || bodyPage is not null) && (request.Query.ContainsKey("page_size") || bodyPageSize is not null);

    public string? Link(HttpRequest request, int page, string? cursor)
    {
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?page={page}&page_size={PageSize}";
        return cursor is null ? url : url + "&cursor=" + Uri.EscapeDataString(cursor);
    }

    private static int? QueryInt(HttpRequest request, string name)
    {
        var text = RequestParsing.Query(request, name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ValidationException(name, $"'{name}' must be an integer.");
    }
}
