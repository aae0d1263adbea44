using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Exports;
using Mem0.Core.Filters;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>
/// Structured exports (contract §3.12): <c>POST /v1/exports/</c> builds the export at once and answers 201 with its
/// id; <c>POST /v1/exports/get/</c> returns it, found by id or by the filters it was made with.
/// </summary>
public static class ExportEndpoints
{
    public const string CreatedMessage = "Memory export request received. The export will be ready in a few seconds.";
    public const string SchemaRequiredMessage = "Schema is required and must be a valid object";
    public const string ScopeRequiredMessage = "One of the filters: app_id, user_id, agent_id, run_id, memory_export_id is required!";
    public const string NotFoundMessage = "No memory export request found";

    /// <summary><c>POST /v1/exports/</c> with <c>{"schema": {...}, "filters": {...}, "export_instructions"?}</c>.</summary>
    public static Task<IResult> CreateAsync(HttpRequest request, MemoryExportService exports) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var export = body.Bind<ExportRequestBody>();
            if (ParseSchema(export.Schema) is not { } schema)
            {
                // The platform answers this one under "message", unlike the other export errors.
                return ApiErrors.Json(StatusCodes.Status400BadRequest, SchemaRequiredMessage, ErrorKey.Message);
            }

            var filter = ParseStructuredFilters(export.Filters);
            var memoryEvent = await exports.CreateExportAsync(
                new CreateExportRequest
                {
                    ProjectId = caller.ProjectId,
                    Schema = schema,
                    Filter = filter,
                    Instructions = export.ExportInstructions,
                    Payload = body.Root,
                },
                ct);
            return EndpointRunner.Json(new ExportCreatedDto(CreatedMessage, memoryEvent.Id), StatusCodes.Status201Created);
        });

    /// <summary><c>POST /v1/exports/get/</c> with <c>{"memory_export_id": "..."}</c> and/or <c>{"filters": {...}}</c> (the id wins).</summary>
    public static Task<IResult> GetAsync(HttpRequest request, MemoryExportService exports) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = (await JsonBody.ReadAsync(request)).Bind<ExportRequestBody>();
            JsonElement? export;
            if (body.MemoryExportId is { Length: > 0 } exportId)
            {
                export = await exports.GetExportAsync(caller.ProjectId, exportId.Trim(), ct);
            }
            else if (body.Filters is { ValueKind: JsonValueKind.Object } filters)
            {
                export = await exports.FindExportAsync(caller.ProjectId, ParseScopedFilter(filters), ct);
            }
            else
            {
                throw new ValidationException("filters", ScopeRequiredMessage);
            }

            return export is { } found ? EndpointRunner.Json(found) : throw new NotFoundException(ResourceKind.Export, NotFoundMessage);
        });

    /// <summary>An object, or a string holding one (the Python SDK types <c>schema</c> as <c>str</c>); null otherwise.</summary>
    private static JsonElement? ParseSchema(JsonElement? schemaValue)
    {
        switch (schemaValue)
        {
            case { ValueKind: JsonValueKind.Object } schema:
                return schema;
            case { ValueKind: JsonValueKind.String } text:
                try
                {
                    using var document = JsonDocument.Parse(text.GetString()!);
                    return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
                }
                catch (JsonException)
                {
                    return null;
                }

            default:
                return null;
        }
    }

    /// <summary>
    /// Structured (<c>{"AND": [...]}</c>) or flat (<c>{"user_id": "alice"}</c>) filters: the platform documents only the
    /// structured form, but its own cookbook and the Python SDK's users send flat ones, and both mean the same here.
    /// </summary>
    private static FilterNode ParseStructuredFilters(JsonElement? filters)
    {
        if (filters is not { ValueKind: JsonValueKind.Object } element || !element.EnumerateObject().Any())
        {
            throw new ValidationException("filters", ScopeRequiredMessage);
        }

        return ParseScopedFilter(element);
    }

    private static FilterNode ParseScopedFilter(JsonElement filters)
    {
        var node = HttpFilters.Parse(filters);
        return HttpFilters.HasPositiveScope(node) ? node : throw new ValidationException("filters", ScopeRequiredMessage);
    }
}

public sealed record ExportCreatedDto(string Message, string Id);
