using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Core.Extraction;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Exports;

/// <summary>
/// Structured exports and summaries of the memories matching a filter. With a language model each is ONE JSON-mode
/// call; without one the answer is a deterministic listing that says plainly why it is not schema-shaped.
/// Exports are computed when requested and kept as <c>EXPORT</c> events, so fetching one later is a read.
/// </summary>
public sealed partial class MemoryExportService
{
    public const string ExportEventType = EventTypes.Export;

    /// <summary>The most memories one export or summary reads (the prompt must stay within a model's context).</summary>
    public const int MaxMemories = 500;

    public const string NoLlmExportNote = "no LLM configured: schema filling needs a language model";

    public const string NoLlmSummaryNote = "no LLM configured: memories grouped by category instead of summarised";

    internal const string ExportSystemPrompt = "export-system.md";
    internal const string ExportUserPrompt = "export-user.md";
    internal const string SummarySystemPrompt = "summary-system.md";
    internal const string SummaryUserPrompt = "summary-user.md";

    private const int ListPageSize = 200;
    private const int LookupPageSize = 50;
    private const int MaxLookupPages = 20;

    private readonly MemoryService _memories;
    private readonly IEventStore _events;
    private readonly TimeProvider _time;
    private readonly ILogger<MemoryExportService> _logger;
    private readonly IChatClient? _chatClient;

    /// <param name="chatClient">The model that fills schemas and writes summaries; null selects the deterministic fallbacks.</param>
    public MemoryExportService(
        MemoryService memories,
        IEventStore events,
        TimeProvider timeProvider,
        ILogger<MemoryExportService> logger,
        IChatClient? chatClient = null)
    {
        _memories = memories ?? throw new ArgumentNullException(nameof(memories));
        _events = events ?? throw new ArgumentNullException(nameof(events));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _chatClient = chatClient;
    }

    /// <summary>True when a language model fills schemas; false when the deterministic fallback answers.</summary>
    public bool UsesLanguageModel => _chatClient is not null;

    /// <summary>
    /// Builds the export now and records it as a SUCCEEDED <c>EXPORT</c> event (id = export id). A model failure is
    /// recorded as a FAILED event and rethrown as <see cref="ExtractionFailedException"/>.
    /// </summary>
    public async Task<MemoryEvent> CreateExportAsync(CreateExportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Schema.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException("schema", "Schema is required and must be a valid object");
        }

        var started = _time.GetUtcNow();
        var memories = await CollectAsync(request.ProjectId, request.Filter, cancellationToken);
        var memoryEvent = EventLifecycle.Start(
            EventLifecycle.Pending(request.ProjectId, ExportEventType, started, request.Payload), started);

        JsonObject export;
        try
        {
            export = _chatClient is null
                ? ListingExport(memories)
                : await FillSchemaAsync(_chatClient, request, memories, cancellationToken);
        }
        catch (ExtractionFailedException ex)
        {
            await _events.CreateAsync(EventLifecycle.Fail(memoryEvent, _time.GetUtcNow(), ex.Message), CancellationToken.None);
            throw;
        }

        memoryEvent = EventLifecycle.Succeed(
            memoryEvent, _time.GetUtcNow(), ExportResults(memoryEvent.Id, export), new EventProgress(memories.Count, memories.Count, 0, []));
        await _events.CreateAsync(memoryEvent, cancellationToken);
        LogExportCreated(_logger, memoryEvent.Id, request.ProjectId, memories.Count, _chatClient is null ? "listing" : "llm");
        return memoryEvent;
    }

    /// <summary>The export with this id, or null when there is none (or it failed) in the project.</summary>
    public async Task<JsonElement?> GetExportAsync(string projectId, string exportId, CancellationToken cancellationToken = default)
    {
        var memoryEvent = await _events.GetAsync(projectId, exportId, cancellationToken);
        return memoryEvent is { EventType: ExportEventType, Status: EventStatus.Succeeded } ? ReadExport(memoryEvent) : null;
    }

    /// <summary>The newest successful export of the project made with the same filters (compared as parsed filters), or null.</summary>
    public async Task<JsonElement?> FindExportAsync(string projectId, FilterNode filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var wanted = Canonical(filter);
        for (var page = 1; page <= MaxLookupPages; page++)
        {
            var result = await _events.ListAsync(
                projectId, new EventListQuery(page, LookupPageSize, EventStatus.Succeeded, ExportEventType), cancellationToken);
            foreach (var memoryEvent in result.Items)
            {
                if (StoredFilter(memoryEvent) is { } stored && Canonical(stored) == wanted)
                {
                    return ReadExport(memoryEvent);
                }
            }

            if (page * LookupPageSize >= result.TotalCount)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>
    /// A JSON array: with a model <c>[{"summary", "highlights", "memory_count"}]</c>; without one, one
    /// <c>{"category", "memories", "memory_count", "note"}</c> per category. Empty when nothing matches.
    /// </summary>
    public async Task<JsonArray> SummarizeAsync(string projectId, FilterNode filter, CancellationToken cancellationToken = default)
    {
        var memories = await CollectAsync(projectId, filter, cancellationToken);
        if (memories.Count == 0)
        {
            return [];
        }

        return _chatClient is null ? GroupByCategory(memories) : [await SummarizeWithModelAsync(_chatClient, memories, cancellationToken)];
    }

    /// <summary>Filters compare by their parsed form, with one-child AND/OR groups unwrapped ({"user_id": "a"} == {"AND": [{"user_id": "a"}]}).</summary>
    internal static string Canonical(FilterNode filter) => FilterFormatter.Format(Unwrap(filter));

    private static FilterNode Unwrap(FilterNode node) => node switch
    {
        AndFilter { Children.Count: 1 } and => Unwrap(and.Children[0]),
        OrFilter { Children.Count: 1 } or => Unwrap(or.Children[0]),
        AndFilter and => new AndFilter([.. and.Children.Select(Unwrap)]),
        OrFilter or => new OrFilter([.. or.Children.Select(Unwrap)]),
        NotFilter not => new NotFilter(Unwrap(not.Child)),
        _ => node,
    };

    private static FilterNode? StoredFilter(MemoryEvent memoryEvent)
    {
        if (memoryEvent.Payload is not { ValueKind: JsonValueKind.Object } payload
            || !payload.TryGetProperty("filters", out var filters) || filters.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            return FilterParser.Parse(filters);
        }
        catch (Mem0Exception)
        {
            // Stored by an older build with a grammar that has since changed: it cannot match.
            return null;
        }
    }

    /// <summary>Events carry results as a list (clients read <c>results[]</c>): one item holding the export under <c>data</c>.</summary>
    private static JsonElement ExportResults(string exportId, JsonObject export) =>
        JsonSerializer.SerializeToElement(new JsonArray(new JsonObject
        {
            ["id"] = exportId,
            ["event"] = ExportEventType,
            ["data"] = export,
        }));

    private static JsonElement? ReadExport(MemoryEvent memoryEvent) =>
        memoryEvent.Results is { ValueKind: JsonValueKind.Array } results
            && results.GetArrayLength() > 0
            && results[0].TryGetProperty("data", out var data)
            && data.ValueKind == JsonValueKind.Object
                ? data.Clone()
                : null;

    private async Task<IReadOnlyList<MemoryRecord>> CollectAsync(string projectId, FilterNode filter, CancellationToken cancellationToken)
    {
        var collected = new List<MemoryRecord>();
        string? token = null;
        do
        {
            var page = await _memories.ListAsync(
                new ListMemoriesRequest { ProjectId = projectId, Filter = filter, PageSize = ListPageSize, ContinuationToken = token },
                cancellationToken);
            collected.AddRange(page.Items);
            token = page.Items.Count == 0 ? null : page.ContinuationToken;
        }
        while (token is not null && collected.Count < MaxMemories);

        return [.. collected.OrderByDescending(m => m.UpdatedAt).ThenBy(m => m.Id, StringComparer.Ordinal).Take(MaxMemories)];
    }

    private static JsonObject ListingExport(IReadOnlyList<MemoryRecord> memories) => new()
    {
        ["memories"] = new JsonArray([.. memories.Select(m => (JsonNode?)JsonValue.Create(m.Text))]),
        ["_note"] = NoLlmExportNote,
    };

    private static JsonArray GroupByCategory(IReadOnlyList<MemoryRecord> memories)
    {
        var groups = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var memory in memories)
        {
            IEnumerable<string> categories = memory.Categories.Count == 0 ? ["uncategorized"] : memory.Categories.Distinct(StringComparer.Ordinal);
            foreach (var category in categories)
            {
                if (!groups.TryGetValue(category, out var texts))
                {
                    groups[category] = texts = [];
                }

                texts.Add(memory.Text);
            }
        }

        return new JsonArray([.. groups.Select(g => (JsonNode?)new JsonObject
        {
            ["category"] = g.Key,
            ["memories"] = new JsonArray([.. g.Value.Select(t => (JsonNode?)JsonValue.Create(t))]),
            ["memory_count"] = g.Value.Count,
            ["note"] = NoLlmSummaryNote,
        })]);
    }

    private async Task<JsonObject> FillSchemaAsync(
        IChatClient chatClient, CreateExportRequest request, IReadOnlyList<MemoryRecord> memories, CancellationToken cancellationToken)
    {
        var instructions = string.IsNullOrWhiteSpace(request.Instructions)
            ? ""
            : Environment.NewLine + "Further instructions from the caller:" + Environment.NewLine + request.Instructions.Trim() + Environment.NewLine;
        var system = PromptTemplates.Fill(PromptTemplates.Load(ExportSystemPrompt), new Dictionary<string, string>
        {
            ["schema"] = JsonSerializer.Serialize(request.Schema, IndentedJson),
            ["instructions"] = instructions,
        });
        var user = PromptTemplates.Fill(PromptTemplates.Load(ExportUserPrompt), new Dictionary<string, string>
        {
            ["count"] = memories.Count.ToString(CultureInfo.InvariantCulture),
            ["memories"] = MemoryLines(memories, withCategories: false),
        });
        return await AskForObjectAsync(chatClient, system, user, "export", cancellationToken);
    }

    private async Task<JsonObject> SummarizeWithModelAsync(IChatClient chatClient, IReadOnlyList<MemoryRecord> memories, CancellationToken cancellationToken)
    {
        var user = PromptTemplates.Fill(PromptTemplates.Load(SummaryUserPrompt), new Dictionary<string, string>
        {
            ["count"] = memories.Count.ToString(CultureInfo.InvariantCulture),
            ["memories"] = MemoryLines(memories, withCategories: true),
        });
        var reply = await AskForObjectAsync(chatClient, PromptTemplates.Load(SummarySystemPrompt), user, "summary", cancellationToken);
        if (reply["summary"] is not JsonValue summary || summary.GetValueKind() != JsonValueKind.String)
        {
            LogUnusableReply(_logger, "summary", "no 'summary' string");
            throw new ExtractionFailedException("The language model's summary had no 'summary' text.");
        }

        var highlights = reply["highlights"] is JsonArray list
            ? new JsonArray([.. list.Where(h => h is JsonValue v && v.GetValueKind() == JsonValueKind.String).Select(h => h!.DeepClone())])
            : [];
        return new JsonObject
        {
            ["summary"] = summary.DeepClone(),
            ["highlights"] = highlights,
            ["memory_count"] = memories.Count,
        };
    }

    /// <summary>One JSON-mode call; anything but a JSON object is an <see cref="ExtractionFailedException"/> (no retry: one call by design).</summary>
    private async Task<JsonObject> AskForObjectAsync(IChatClient chatClient, string system, string user, string purpose, CancellationToken cancellationToken)
    {
        ChatResponse response;
        try
        {
            response = await chatClient.GetResponseAsync(
                [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)],
                new ChatOptions { ResponseFormat = ChatResponseFormat.Json, Temperature = 0f },
                cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not Mem0Exception)
        {
            LogModelCallFailed(_logger, purpose, ex);
            throw new ExtractionFailedException($"The language model call for the {purpose} failed.", ex);
        }

        var text = StripCodeFence(response.Text ?? "");
        try
        {
            if (JsonNode.Parse(text) is JsonObject result)
            {
                return result;
            }
        }
        catch (JsonException)
        {
            // Falls through to the failure below: the reply was not JSON at all.
        }

        LogUnusableReply(_logger, purpose, "not a JSON object");
        throw new ExtractionFailedException($"The language model did not return a JSON object for the {purpose}.");
    }

    private static string MemoryLines(IReadOnlyList<MemoryRecord> memories, bool withCategories)
    {
        if (memories.Count == 0)
        {
            return "(none)";
        }

        var builder = new StringBuilder();
        foreach (var memory in memories)
        {
            builder.Append('[').Append(memory.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("] ");
            if (withCategories)
            {
                builder.Append('(').Append(memory.Categories.Count == 0 ? "uncategorized" : string.Join(", ", memory.Categories)).Append(") ");
            }

            // One memory per line: newlines inside a memory would read as separate memories.
            builder.AppendLine(memory.Text.ReplaceLineEndings(" "));
        }

        return builder.ToString().TrimEnd();
    }

    private static string StripCodeFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }

        var firstLineEnd = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var closing = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return firstLineEnd > 0 && closing > firstLineEnd ? trimmed[(firstLineEnd + 1)..closing].Trim() : trimmed;
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "Export {ExportId} of project {ProjectId} built from {MemoryCount} memories ({Mode})")]
    private static partial void LogExportCreated(ILogger logger, string exportId, string projectId, int memoryCount, string mode);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "The {Purpose} model reply was unusable: {Problem}")]
    private static partial void LogUnusableReply(ILogger logger, string purpose, string problem);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "The {Purpose} model call failed")]
    private static partial void LogModelCallFailed(ILogger logger, string purpose, Exception exception);
}

/// <summary>An export to build: the JSON Schema to fill, the memories to read and the caller's request as sent.</summary>
public sealed record CreateExportRequest
{
    public required string ProjectId { get; init; }

    /// <summary>A JSON Schema object (the model fills it; it is not validated beyond being an object).</summary>
    public required JsonElement Schema { get; init; }

    /// <summary>Which memories to export; must positively scope an entity (checked by the HTTP layer).</summary>
    public required FilterNode Filter { get; init; }

    public string? Instructions { get; init; }

    /// <summary>The request body, kept on the event so an export can be found again by its filters.</summary>
    public JsonElement? Payload { get; init; }
}
