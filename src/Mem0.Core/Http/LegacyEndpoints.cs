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
            var add = MemoryEndpoints.ParseAdd(body) with { Background = body.GetBool("async_mode") ?? true };
            var wrapped = body.GetString("output_format") == "v1.1";
            var outcome = await services.Memories.AddAsync(caller.ProjectId, add, ct);

            // Like the async answer: a bare array unless output_format is v1.1 (the platform's OpenAPI for this route).
            object results = outcome.Queued
                ? new[] { new LegacyQueuedDto("Memory processing has been queued for background execution", "PENDING", outcome.Event.Id) }
                : AddResultDto.From(outcome);
            return wrapped
                ? EndpointRunner.Json(new Dictionary<string, object> { ["results"] = results, ["relations"] = Array.Empty<object>() })
                : EndpointRunner.Json(results);
        });

    /// <summary><c>POST /v2/memories/search/</c>: a bare array.</summary>
    public static Task<IResult> SearchV2Async(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            return EndpointRunner.Json(await SearchAsync(body, caller, services, ct));
        });

    /// <summary><c>POST /v1/memories/search/</c>: an array, or <c>{"results","relations"}</c> with <c>output_format: v1.1</c>.</summary>
    public static Task<IResult> SearchV1Async(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var results = await SearchAsync(body, caller, services, ct);
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
            if (conditions.Count == 0)
            {
                throw new Common.ValidationException("user_id", "At least one of user_id, agent_id, app_id or run_id is required.");
            }

            var filter = conditions.Count == 1 ? conditions[0] : new AndFilter(conditions);
            return await ListAsync(request, JsonBody.Empty, filter, caller, services, ct);
        });

    private static async Task<IReadOnlyList<System.Text.Json.Nodes.JsonNode?>> SearchAsync(
        JsonBody body, CallerContext caller, Mem0ApiServices services, CancellationToken ct)
    {
        var hits = await services.Memories.SearchAsync(caller.ProjectId, MemoryEndpoints.ParseSearch(body) with { Filter = MergedFilters(body) }, ct);
        return MemoryEndpoints.ProjectHits(hits, MemoryEndpoints.FieldsOf(body));
    }

    private static async Task<IResult> ListAsync(
        HttpRequest request, JsonBody body, FilterNode filter, CallerContext caller, Mem0ApiServices services, CancellationToken ct)
    {
        if (PageRequest.IsExplicit(request, body))
        {
            return EndpointRunner.Json(await MemoryEndpoints.ListPageAsync(request, body, filter, caller, services, ct));
        }

        // Unpaginated: the legacy shape is every match as one array; capped so one call cannot read a whole project.
        var all = await services.Memories.ListAllAsync(caller.ProjectId, filter, null, body.GetBool("show_expired") ?? false, LegacyListCap, ct);
        var fields = MemoryEndpoints.FieldsOf(body);
        return EndpointRunner.Json(all.Select(r => MemoryEndpoints.ProjectItem(MemoryDto.From(r), fields)).ToList());
    }

    private const int LegacyListCap = 1000;

    /// <summary>Filters plus any top-level ids (the service requires at least one positive scope).</summary>
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

        // An empty list leaves the scope rule to the service, which names 'filters'.
        return parts.Count == 1 ? parts[0] : new AndFilter(parts);
    }
}

public sealed record LegacyQueuedDto(string Message, string Status, string EventId);
