using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Memories;

namespace Mem0.Core.Jobs;

/// <summary>One import item as staged: normalised, or carrying the reason it is invalid (reported on the event, never dropped).</summary>
public sealed record StagedImportItem(
    int Index,
    string? Id = null,
    string? Text = null,
    string? UserId = null,
    string? AgentId = null,
    string? AppId = null,
    string? RunId = null,
    JsonElement? Metadata = null,
    string? Error = null)
{
    public MemoryScope Scope => new(UserId, AgentId, AppId, RunId);
}

/// <summary>The outcome of staging: how many items and chunks, and the request's <c>infer</c> flag.</summary>
public sealed record StagedImport(string PayloadPrefix, int Total, int ChunkCount, int ChunkSize, bool Infer);

/// <summary>
/// Streams an import body into the payload store in chunks of <see cref="JobsOptions.ImportBatchSize"/> items, validating
/// each item on the way. Memory use is one chunk, whatever the request size.
/// </summary>
public static class ImportStaging
{
    private const int MaxIdLength = 128;

    public static string Prefix(string projectId, string eventId) => $"{projectId}/{eventId}/";

    public static string ChunkKey(string prefix, int chunk) => $"{prefix}{chunk:D6}.json";

    public static async Task<StagedImport> StageAsync(
        Stream body, string payloadPrefix, bool? inferOverride, IJobPayloadStore payloads, JobsOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentNullException.ThrowIfNull(options);
        var items = new JsonItemStream(body);
        var chunk = new List<StagedImportItem>(options.ImportBatchSize);
        var total = 0;
        var chunks = 0;
        try
        {
            await foreach (var element in items.ReadAllAsync(cancellationToken))
            {
                if (total >= options.MaxImportItems)
                {
                    throw new ValidationException("items", $"An import takes at most {options.MaxImportItems} items; split the file.");
                }

                chunk.Add(Parse(element, total++));
                if (chunk.Count == options.ImportBatchSize)
                {
                    await WriteChunkAsync(payloads, payloadPrefix, chunks++, chunk, cancellationToken);
                    chunk.Clear();
                }
            }

            if (chunk.Count > 0)
            {
                await WriteChunkAsync(payloads, payloadPrefix, chunks++, chunk, cancellationToken);
            }
        }
        catch
        {
            await payloads.DeletePrefixAsync(payloadPrefix, CancellationToken.None);
            throw;
        }

        if (total == 0)
        {
            throw new ValidationException("items", "The import has no items.");
        }

        var infer = inferOverride
            ?? (items.Properties.TryGetValue("infer", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? flag.GetBoolean()
                : false);
        return new StagedImport(payloadPrefix, total, chunks, options.ImportBatchSize, infer);
    }

    public static async Task<IReadOnlyList<StagedImportItem>> ReadChunkAsync(IJobPayloadStore payloads, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var content = await payloads.ReadAsync(key, cancellationToken);
        return JsonSerializer.Deserialize<List<StagedImportItem>>(content, JobJson.Options) ?? [];
    }

    /// <summary>Normalises one item: text from <c>memory</c> | <c>text</c> | <c>content</c>, the four scope ids, metadata, id.</summary>
    public static StagedImportItem Parse(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new StagedImportItem(index, Error: "The item must be a JSON object.");
        }

        try
        {
            var text = String(element, "memory") ?? String(element, "text") ?? String(element, "content");
            if (string.IsNullOrWhiteSpace(text))
            {
                return new StagedImportItem(index, Error: "The item needs a non-empty 'memory', 'text' or 'content'.");
            }

            if (text.Length > Http.RequestLimits.MaxMessageChars)
            {
                return new StagedImportItem(index, String(element, "id"), Error: $"The text has {text.Length} characters; a memory may have at most {Http.RequestLimits.MaxMessageChars}.");
            }

            var item = new StagedImportItem(
                index,
                String(element, "id"),
                text.Trim(),
                String(element, "user_id"),
                String(element, "agent_id"),
                String(element, "app_id"),
                String(element, "run_id"),
                element.TryGetProperty("metadata", out var metadata) && metadata.ValueKind != JsonValueKind.Null ? metadata.Clone() : null);
            if (item.Scope.IsEmpty)
            {
                return new StagedImportItem(index, item.Id, Error: "The item needs at least one of user_id, agent_id, app_id or run_id.");
            }

            if (item.Metadata is { ValueKind: not JsonValueKind.Object })
            {
                return new StagedImportItem(index, item.Id, Error: "'metadata' must be an object.");
            }

            if (item.Metadata is { } objectMetadata && MetadataProblem(objectMetadata) is { } problem)
            {
                return new StagedImportItem(index, item.Id, Error: problem);
            }

            if (item.Id is { Length: > MaxIdLength } || (item.Id is not null && string.IsNullOrWhiteSpace(item.Id)))
            {
                return new StagedImportItem(index, null, Error: $"'id' must be a non-empty string of at most {MaxIdLength} characters.");
            }

            return item;
        }
        catch (InvalidOperationException ex)
        {
            return new StagedImportItem(index, Error: ex.Message);
        }
    }

    /// <summary>The add endpoints' metadata rules (valid Unicode, depth, size), so an import stores nothing they would refuse.</summary>
    private static string? MetadataProblem(JsonElement metadata)
    {
        var utf8 = System.Text.Encoding.UTF8.GetBytes(metadata.GetRawText());
        if (utf8.Length > Http.RequestLimits.MaxMetadataBytes)
        {
            return $"'metadata' is larger than {Http.RequestLimits.MaxMetadataBytes} bytes of JSON.";
        }

        try
        {
            Http.JsonBodyScanner.Validate(utf8, Http.RequestLimits.MaxMetadataDepth);
            return null;
        }
        catch (Common.ValidationException ex)
        {
            return $"'metadata' is refused: {ex.Message}";
        }
    }

    private static string? String(JsonElement item, string name) =>
        !item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
            ? null
            : value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : throw new InvalidOperationException($"'{name}' must be a string.");

    private static Task WriteChunkAsync(IJobPayloadStore payloads, string prefix, int index, List<StagedImportItem> items, CancellationToken cancellationToken) =>
        payloads.WriteAsync(ChunkKey(prefix, index), JsonSerializer.SerializeToUtf8Bytes(items, JobJson.Options), cancellationToken);
}
