using System.Text.Json;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
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
            var add = body.Bind<AddRequestBody>();
            var outcome = await services.Memories.AddAsync(
                caller.ProjectId, add.ToRequest(), new AddMemoriesOptions { Background = add.AsyncMode ?? true, Payload = body.Root }, ct);
            var wrapped = add.OutputFormat == "v1.1";

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
            return EndpointRunner.Json(await SearchAsync(body, body.Bind<SearchRequestBody>(), caller, services, ct));
        });

    /// <summary><c>POST /v1/memories/search/</c>: an array, or <c>{"results","relations"}</c> with <c>output_format: v1.1</c>.</summary>
    public static Task<IResult> SearchV1Async(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var search = body.Bind<SearchRequestBody>();
            var results = await SearchAsync(body, search, caller, services, ct);
            return search.OutputFormat == "v1.1"
                ? EndpointRunner.Json(new Dictionary<string, object> { ["results"] = results, ["relations"] = Array.Empty<object>() })
                : EndpointRunner.Json(results);
        });

    /// <summary><c>POST /v2/memories/</c>: a bare array, or the envelope when page and page_size are given.</summary>
    public static Task<IResult> ListV2Async(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Message, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var list = body.Bind<ListRequestBody>();
            return await ListAsync(request, body, list, MergedFilters(list.Filters, list.UserId, list.AgentId, list.AppId, list.RunId), caller, services, ct);
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
            return await ListAsync(request, JsonBody.Empty, new ListRequestBody(), filter, caller, services, ct);
        });

    private static async Task<IReadOnlyList<System.Text.Json.Nodes.JsonNode?>> SearchAsync(
        JsonBody body, SearchRequestBody search, CallerContext caller, Mem0ApiServices services, CancellationToken ct)
    {
        var filter = MergedFilters(search.Filters, search.UserId, search.AgentId, search.AppId, search.RunId);
        var hits = await services.Memories.SearchAsync(caller.ProjectId, search.ToInput() with { Filter = filter }, ct);
        return MemoryEndpoints.ProjectHits(hits, MemoryEndpoints.FieldsOf(body));
    }

    private static async Task<IResult> ListAsync(
        HttpRequest request, JsonBody body, ListRequestBody list, FilterNode filter, CallerContext caller, Mem0ApiServices services, CancellationToken ct)
    {
        if (PageRequest.IsExplicit(request, list.Page, list.PageSize))
        {
            return EndpointRunner.Json(await MemoryEndpoints.ListPageAsync(request, list, filter, caller, services, ct));
        }

        // Unpaginated: the legacy shape is every match as one array; capped so one call cannot read a whole project.
        var all = await services.Memories.ListAllAsync(caller.ProjectId, filter, null, list.ShowExpired ?? false, LegacyListCap, ct);
        var fields = MemoryEndpoints.FieldsOf(body);
        return EndpointRunner.Json(all.Select(r => MemoryEndpoints.ProjectItem(MemoryDto.From(r), fields)).ToList());
    }

    private const int LegacyListCap = 1000;

    /// <summary>Filters plus any top-level ids (the service requires at least one positive scope).</summary>
    private static FilterNode MergedFilters(JsonElement? filters, params string?[] ids)
    {
        var parts = new List<FilterNode>();
        foreach (var ((_, kind), value) in MemoryEndpoints.ScopeQueryFields.Zip(ids))
        {
            if (value is { Length: > 0 })
            {
                parts.Add(HttpFilters.ScopeCondition(kind, value));
            }
        }

        if (filters is { ValueKind: JsonValueKind.Object } given && given.EnumerateObject().Any())
        {
            parts.Add(HttpFilters.Parse(given));
        }

        // An empty list leaves the scope rule to the service, which names 'filters'.
        return parts.Count == 1 ? parts[0] : new AndFilter(parts);
    }
}

public sealed record LegacyQueuedDto(string Message, string Status, string EventId);
