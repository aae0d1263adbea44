using Mem0.Core.Exports;
using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Structured exports and summaries. Each function delegates to <see cref="ExportEndpoints"/> or <see cref="SummaryEndpoints"/>, the handlers the local server maps too.</summary>
public sealed class ExportFunctions
{
    private readonly MemoryExportService _exports;

    public ExportFunctions(MemoryExportService exports)
    {
        _exports = exports;
    }

    [Function(nameof(CreateMemoryExport))]
    public Task<IResult> CreateMemoryExport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/exports/")] HttpRequest request) =>
        ExportEndpoints.CreateAsync(request, _exports);

    [Function(nameof(GetMemoryExport))]
    public Task<IResult> GetMemoryExport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/exports/get/")] HttpRequest request) =>
        ExportEndpoints.GetAsync(request, _exports);

    [Function(nameof(GetMemorySummary))]
    public Task<IResult> GetMemorySummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/summary/")] HttpRequest request) =>
        SummaryEndpoints.GetAsync(request, _exports);
}
