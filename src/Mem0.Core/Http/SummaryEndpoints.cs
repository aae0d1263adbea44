using Mem0.Core.Exports;
using Mem0.Core.Memories;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary><c>POST /v1/summary/</c> (contract §3.12): a JSON array summarising the memories matching <c>filters</c>.</summary>
public static class SummaryEndpoints
{
    /// <summary>
    /// Body <c>{"filters": {...}}</c>, flat or structured, scoping at least one entity. With a language model:
    /// <c>[{"summary", "highlights", "memory_count"}]</c>; without: <c>[{"category", "memories", "memory_count", "note"}]</c>.
    /// </summary>
    public static Task<IResult> GetAsync(HttpRequest request, MemoryExportService exports) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var filter = MemoryRules.ScopedFilter(null, body.Bind<ExportRequestBody>().Filters);
            var summary = await exports.SummarizeAsync(caller.ProjectId, filter, ct);
            return EndpointRunner.Json(summary);
        });
}
