using System.Text.Json;
using System.Text.Json.Serialization;
using Mem0.Core.Common;
using Mem0.Core.Memories;
using Mem0.Core.Projects;

namespace Mem0.Core.Http;

/// <summary>The fields every memory request body may carry: the four scope ids at the top level, and <c>filters</c>.</summary>
internal abstract record ScopedRequestBody
{
    [JsonPropertyName("user_id"), Wire(WireShape.LenientString, "user_id")]
    public string? UserId { get; init; }

    [JsonPropertyName("agent_id"), Wire(WireShape.LenientString, "agent_id")]
    public string? AgentId { get; init; }

    [JsonPropertyName("app_id"), Wire(WireShape.LenientString, "app_id")]
    public string? AppId { get; init; }

    [JsonPropertyName("run_id"), Wire(WireShape.LenientString, "run_id")]
    public string? RunId { get; init; }

    [JsonPropertyName("filters")]
    public JsonElement? Filters { get; init; }
}

/// <summary>
/// The body of <c>POST /v3/memories/add/</c> and <c>POST /v1/memories/</c>. Scope ids come at the top level or, as
/// some SDKs send them, inside <c>filters</c>.
/// </summary>
internal sealed record AddRequestBody : ScopedRequestBody
{
    [JsonPropertyName("messages"), Wire(WireShape.Messages, "messages")]
    public IReadOnlyList<InputMessage>? Messages { get; init; }

    [JsonPropertyName("metadata"), Wire(WireShape.Object, "metadata")]
    public JsonElement? Metadata { get; init; }

    [JsonPropertyName("infer"), Wire(WireShape.StrictBool, "infer")]
    public bool? Infer { get; init; }

    [JsonPropertyName("immutable"), Wire(WireShape.StrictBool, "immutable")]
    public bool? Immutable { get; init; }

    [JsonPropertyName("expiration_date"), Wire(WireShape.Date, "expiration_date")]
    public DateOnly? ExpirationDate { get; init; }

    [JsonPropertyName("timestamp"), Wire(WireShape.Timestamp, "timestamp")]
    public DateTimeOffset? Timestamp { get; init; }

    [JsonPropertyName("custom_instructions"), Wire(WireShape.LenientString, "custom_instructions")]
    public string? CustomInstructions { get; init; }

    [JsonPropertyName("custom_categories"), Wire(WireShape.CustomCategories, "custom_categories")]
    public IReadOnlyList<CustomCategory>? CustomCategories { get; init; }

    [JsonPropertyName("includes"), Wire(WireShape.LenientString, "includes")]
    public string? Includes { get; init; }

    [JsonPropertyName("excludes"), Wire(WireShape.LenientString, "excludes")]
    public string? Excludes { get; init; }

    /// <summary>v1 only: false answers the results instead of queueing.</summary>
    [JsonPropertyName("async_mode"), Wire(WireShape.LenientBool, "async_mode")]
    public bool? AsyncMode { get; init; }

    [JsonPropertyName("output_format"), Wire(WireShape.LenientString, "output_format")]
    public string? OutputFormat { get; init; }

    public AddMemoriesRequest ToRequest() => new()
    {
        Messages = Messages ?? throw new ValidationException("messages", "'messages' is required."),
        Scope = new MemoryScope(Id(UserId, "user_id"), Id(AgentId, "agent_id"), Id(AppId, "app_id"), Id(RunId, "run_id")),
        Metadata = Metadata,
        Infer = Infer ?? true,
        Immutable = Immutable ?? false,
        ExpirationDate = ExpirationDate,
        Timestamp = Timestamp,
        CustomInstructions = CustomInstructions,
        CustomCategories = CustomCategories,
        Includes = Includes,
        Excludes = Excludes,
    };

    /// <summary>The top-level id, else a string id of that name inside <c>filters</c>; blank is none.</summary>
    private string? Id(string? topLevel, string name)
    {
        var value = topLevel;
        if (value is null && Filters is { ValueKind: JsonValueKind.Object } filters
            && filters.TryGetProperty(name, out var nested) && nested.ValueKind == JsonValueKind.String)
        {
            value = nested.GetString();
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}

/// <summary>
/// The body of the searches (<c>POST /v3/memories/search/</c>, v1, v2). The top-level ids are only read by v1/v2, which
/// AND them into the filters; v3 refuses them before binding.
/// </summary>
internal sealed record SearchRequestBody : ScopedRequestBody
{
    [JsonPropertyName("query"), Wire(WireShape.LenientString, "query")]
    public string? Query { get; init; }

    [JsonPropertyName("top_k"), Wire(WireShape.LenientInt, "top_k")]
    public int? TopK { get; init; }

    /// <summary>The older name of <c>top_k</c>.</summary>
    [JsonPropertyName("limit"), Wire(WireShape.LenientInt, "limit")]
    public int? Limit { get; init; }

    [JsonPropertyName("threshold"), Wire(WireShape.LenientDouble, "threshold")]
    public double? Threshold { get; init; }

    [JsonPropertyName("keyword_search"), Wire(WireShape.LenientBool, "keyword_search")]
    public bool? KeywordSearch { get; init; }

    [JsonPropertyName("show_expired"), Wire(WireShape.LenientBool, "show_expired")]
    public bool? ShowExpired { get; init; }

    [JsonPropertyName("output_format"), Wire(WireShape.LenientString, "output_format")]
    public string? OutputFormat { get; init; }

    public SearchMemoriesInput ToInput() => new()
    {
        Query = Query,
        Filters = Filters,
        TopK = TopK ?? Limit,
        Threshold = Threshold,
        KeywordSearch = KeywordSearch ?? false,
        ShowExpired = ShowExpired ?? false,
    };
}

/// <summary>The body of the memory lists (<c>POST /v3/memories/</c>, <c>POST /v2/memories/</c>); page params in the query string win.</summary>
internal sealed record ListRequestBody : ScopedRequestBody
{
    [JsonPropertyName("page"), Wire(WireShape.LenientInt, "page")]
    public int? Page { get; init; }

    [JsonPropertyName("page_size"), Wire(WireShape.LenientInt, "page_size")]
    public int? PageSize { get; init; }

    [JsonPropertyName("show_expired"), Wire(WireShape.LenientBool, "show_expired")]
    public bool? ShowExpired { get; init; }
}

/// <summary>The body of <c>PUT /v1/memories/{id}/</c>: <c>text</c> (or <c>memory</c>), metadata, expiration, timestamp.</summary>
internal sealed record UpdateRequestBody
{
    [JsonPropertyName("text"), Wire(WireShape.StrictString, "text")]
    public string? Text { get; init; }

    [JsonPropertyName("memory"), Wire(WireShape.StrictString, "memory")]
    public string? Memory { get; init; }

    [JsonPropertyName("metadata"), Wire(WireShape.Object, "metadata")]
    public JsonElement? Metadata { get; init; }

    [JsonPropertyName("expiration_date"), Wire(WireShape.Date, "expiration_date")]
    public DateOnly? ExpirationDate { get; init; }

    [JsonPropertyName("timestamp"), Wire(WireShape.Timestamp, "timestamp")]
    public DateTimeOffset? Timestamp { get; init; }

    /// <param name="clearExpiration">True when <c>expiration_date</c> was sent as null (which removes the date).</param>
    public UpdateMemoryRequest ToRequest(bool clearExpiration) => new()
    {
        Text = Text ?? Memory,
        Metadata = Metadata,
        ExpirationDate = ExpirationDate,
        ClearExpirationDate = clearExpiration,
        Timestamp = Timestamp,
    };
}

/// <summary>The body of <c>POST /v1/feedback/</c>.</summary>
internal sealed record FeedbackRequestBody
{
    [JsonPropertyName("memory_id"), Wire(WireShape.LenientString, "memory_id")]
    public string? MemoryId { get; init; }

    [JsonPropertyName("feedback"), Wire(WireShape.LenientString, "feedback")]
    public string? Feedback { get; init; }

    [JsonPropertyName("feedback_reason"), Wire(WireShape.LenientString, "feedback_reason")]
    public string? FeedbackReason { get; init; }

    public FeedbackInput ToInput(JsonElement payload) => new(MemoryId, Feedback, FeedbackReason, payload);
}

/// <summary>
/// The bodies of <c>POST /v1/exports/</c>, <c>POST /v1/exports/get/</c> and <c>POST /v1/summary/</c>. <c>schema</c> is
/// an object or a string holding one (the Python SDK types it as <c>str</c>), so it is kept raw for the handler.
/// </summary>
internal sealed record ExportRequestBody
{
    [JsonPropertyName("schema")]
    public JsonElement? Schema { get; init; }

    [JsonPropertyName("filters")]
    public JsonElement? Filters { get; init; }

    [JsonPropertyName("export_instructions"), Wire(WireShape.LenientString, "export_instructions")]
    public string? ExportInstructions { get; init; }

    [JsonPropertyName("memory_export_id"), Wire(WireShape.LenientString, "memory_export_id")]
    public string? MemoryExportId { get; init; }
}

/// <summary>
/// The body of <c>PATCH /api/v1/orgs/organizations/{org}/projects/{project}/</c>: a field that is absent is left alone,
/// one sent as null is cleared.
/// </summary>
internal sealed record ProjectSettingsBody
{
    [JsonPropertyName("name"), Wire(WireShape.LenientString, "name")]
    public string? Name { get; init; }

    [JsonPropertyName("description"), Wire(WireShape.ChangeString, "description")]
    public Change<string?>? Description { get; init; }

    [JsonPropertyName("custom_instructions"), Wire(WireShape.ChangeString, "custom_instructions")]
    public Change<string?>? CustomInstructions { get; init; }

    [JsonPropertyName("agent_custom_instructions"), Wire(WireShape.ChangeString, "agent_custom_instructions")]
    public Change<string?>? AgentCustomInstructions { get; init; }

    [JsonPropertyName("custom_categories"), Wire(WireShape.ChangeCategories, "custom_categories")]
    public Change<IReadOnlyList<CustomCategory>?>? CustomCategories { get; init; }

    public ProjectSettingsUpdate ToUpdate() => new()
    {
        Name = Name,
        Description = Description,
        CustomInstructions = CustomInstructions,
        AgentCustomInstructions = AgentCustomInstructions,
        CustomCategories = CustomCategories,
    };
}
