using System.Text.Json;
using Mem0.Core.Filters;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>
/// The v1/v2 paths older SDKs and current integrations (OpenClaw) still call (contract §3.16). Unlike v3 they
/// accept top-level ids: those are ANDed into the filters rather than rejected.
/// </summary>
public static class LegacyEndpoints
{
    /// <summary><c>POST /v1/memories/</c>: async by default (a bare array of queued items), <c>async_mode:false</c> answers the results.</summary>
    public static Task<IResult> AddV1Async(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.AddStyle, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var add = await MemoryEndpoints.ParseAddAsync(body, caller, services, ct);
            var wrapped = body.GetString("output_format") == "v1.1";
            var asyncMode = body.GetBool("async_mode") ?? true;
            if (!asyncMode || !add.Infer)
            {
                // Like the async answer: a bare array unless output_format is v1.1 (the platform's OpenAPI for this route).
                var (_, results) = await MemoryEndpoints.AddSynchronouslyAsync(add, body, services, ct);
                return wrapped
                    ? EndpointRunner.Json(new Dictionary<string, object> { ["results"] = results, ["relations"] = Array.Empty<object>() })
                    : EndpointRunner.Json(results);
            }

            var pending = await MemoryEndpoints.QueueAddAsync(add, body, services, ct);
            var queued = new[] { new LegacyQueuedDto("Memory processing has been queued for background execution", "PENDING", pending.Id) };
            return wrapped
                ? EndpointRunner.Json(new Dictionary<string, object> { ["results"] = queued, ["relations"] = Array.Empty<object>() })
                : EndpointRunner.Json(queued);
        });

    /// <summary><c>POST /v2/memories/search/</c>: a bare array.</summary>
    public static Task<IResult> SearchV2Async(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var results = await MemoryEndpoints.RunSearchAsync(body, MergedFilters(body), caller, services, ct);
            return EndpointRunner.Json(results);
        });

    /// <summary><c>POST /v1/memories/search/</c>: an array, or <c>{"results","relations"}</c> with <c>output_format: v1.1</c>.</summary>
    public static Task<IResult> SearchV1Async(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var results = await MemoryEndpoints.RunSearchAsync(body, MergedFilters(body), caller, services, ct);
            return body.GetString("output_format") == "v1.1"
                ? EndpointRunner.Json(new Dictionary<string, object> { ["results"] = results, ["relations"] = Array.Empty<object>() })
                : EndpointRunner.Json(results);
        });

    /// <summary><c>POST /v2/memories/</c>: a bare array, or the envelope when page and page_size are given.</summary>
    public static Task<IResult> ListV2Async(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Message, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            return await ListAsync(request, body, MergedFilters(body), caller, services, ct);
        });

    /// <summary><c>GET /v1/memories/?user_id=…</c>: a bare array, or the envelope when page and page_size are given.</summary>
    public static Task<IResult> ListV1Async(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var conditions = MemoryEndpoints.ScopeQueryFields
                .Where(f => RequestParsing.Query(request, f.Name) is not null)
                .Select(f => HttpFilters.ScopeCondition(f.Kind, RequestParsing.Query(request, f.Name)!))
                .ToList();
            var filter = conditions.Count == 1 ? conditions[0] : new AndFilter(conditions);
            if (!HttpFilters.HasPositiveScope(filter))
            {
                throw new Common.ValidationException("user_id", "At least one of user_id, agent_id, app_id or run_id is required.");
            }

            return await ListAsync(request, JsonBody.Empty, filter, caller, services, ct);
        });

    private static async Task<IResult> ListAsync(
        HttpRequest request, JsonBody body, FilterNode filter, CallerContext caller, Mem0ApiServices services, CancellationToken ct)
    {
        var showExpired = body.GetBool("show_expired") ?? false;
        if (PageRequest.IsExplicit(request, body))
        {
            var envelope = await MemoryEndpoints.ListPageAsync(request, filter, PageRequest.From(request, body), showExpired, caller, services, ct);
            return EndpointRunner.Json(envelope);
        }

        // Unpaginated: the legacy shape is every match as one array; cap it so one call cannot read a whole project.
        var all = new List<MemoryDto>();
        string? token = null;
        do
        {
            var page = await services.Memories.ListAsync(
                new Memories.ListMemoriesRequest
                {
                    ProjectId = caller.ProjectId,
                    Filter = filter,
                    PageSize = PageRequest.MaxPageSize,
                    ContinuationToken = token,
                    ShowExpired = showExpired,
                },
                ct);
            all.AddRange(page.Items.Select(r => MemoryDto.From(r)));
            token = page.Items.Count > 0 ? page.ContinuationToken : null;
        }
        while (token is not null && all.Count < LegacyListCap);

        var fields = MemoryEndpoints.FieldsOf(body);
        return EndpointRunner.Json(all.Take(LegacyListCap).Select(m => MemoryEndpoints.ProjectItem(m, fields)).ToList());
    }

    private const int LegacyListCap = 1000;

    /// <summary>Filters plus any top-level ids, requiring at least one positive scope.</summary>
    private static FilterNode MergedFilters(JsonBody body)
    {
        var parts = new List<FilterNode>();
        foreach (var (name, kind) in MemoryEndpoints.ScopeQueryFields)
        {
            if (body.GetString(name) is { Length: > 0 } value)
            {
                parts.Add(HttpFilters.ScopeCondition(kind, value));
            }
        }

        if (body.Get("filters") is { ValueKind: JsonValueKind.Object } filters && filters.EnumerateObject().Any())
        {
            parts.Add(HttpFilters.Parse(filters));
        }

        var node = parts.Count == 1 ? parts[0] : new AndFilter(parts);
        if (!HttpFilters.HasPositiveScope(node))
        {
            throw new Common.ValidationException("filters", "'filters' (or a top-level id) must contain at least one of user_id, agent_id, app_id or run_id.");
        }

        return node;
    }
}

public sealed record LegacyQueuedDto(string Message, string Status, string EventId);
