using Mem0.Core.Extraction;
using Mem0.Core.Filters;
using Mem0.Core.Projects;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Memories;

/// <summary>
/// The add path: verbatim storage, or inference (hash short-circuit → retrieval → one extraction → one
/// batched embedding → one atomic change set), serialized per scope. The project (custom instructions and
/// categories) is read once per inferring add, only when the language model is asked.
/// </summary>
public sealed partial class AddPipeline
{
    private const string InferenceActor = "inference";

    private readonly IMemoryStore _store;
    private readonly IProjectStore _projects;
    private readonly EmbeddingClient _embeddings;
    private readonly LlmMemoryExtractor? _llm;
    private readonly IScopeLock _scopeLock;
    private readonly MemoryEngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="chatClient">The extraction model; null selects the deterministic heuristic extractor.</param>
    public AddPipeline(
        IMemoryStore store,
        IProjectStore projects,
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        IScopeLock scopeLock,
        IOptions<MemoryEngineOptions> options,
        TimeProvider timeProvider,
        ILogger<AddPipeline> logger,
        IChatClient? chatClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _projects = projects ?? throw new ArgumentNullException(nameof(projects));
        _embeddings = new EmbeddingClient(embeddingGenerator);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _llm = chatClient is null ? null : new LlmMemoryExtractor(chatClient, _logger);
        _scopeLock = scopeLock ?? throw new ArgumentNullException(nameof(scopeLock));
        _options = options.Value;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary><see cref="ExtractorKind.Llm"/> with a chat client, else <see cref="ExtractorKind.Heuristic"/>.</summary>
    public string Extractor => _llm is null ? ExtractorKind.Heuristic : ExtractorKind.Llm;

    public async Task<AddMemoriesResult> AddAsync(AddMemoriesRequest request, CancellationToken cancellationToken)
    {
        var messages = request.Messages
            .Where(m => !string.Equals(m.Role, "system", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(m.Content))
            .ToList();
        if (!request.Infer)
        {
            return await AddVerbatimAsync(request, messages, cancellationToken);
        }

        if (messages.Count == 0)
        {
            return new AddMemoriesResult([], Extractor, 0, 0);
        }

        await using (await _scopeLock.AcquireAsync(request.ProjectId, request.Scope, cancellationToken))
        {
            var shortCircuit = await FindAlreadyStoredAsync(request, messages, cancellationToken);
            if (shortCircuit is not null)
            {
                LogHashShortCircuit(_logger, request.ProjectId, messages.Count);
                return new AddMemoriesResult(shortCircuit, Extractor, 0, 0);
            }

            var plan = _llm is null
                ? await PlanHeuristicAsync(request, messages, cancellationToken)
                : await PlanWithLlmAsync(request, messages, cancellationToken);
            return await ApplyAsync(request, messages, plan, cancellationToken);
        }
    }

    private async Task<AddMemoriesResult> AddVerbatimAsync(AddMemoriesRequest request, List<InputMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return new AddMemoriesResult([], ExtractorKind.Verbatim, 0, 0);
        }

        var texts = messages.Select(m => m.Content.Trim()).ToList();
        var embedded = await _embeddings.EmbedAsync(texts, cancellationToken);
        var now = _time.GetUtcNow();
        var createdAt = request.Timestamp ?? now;
        var added = new List<MemoryRecord>(texts.Count);
        var history = new List<HistoryEntry>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var record = NewMemory(request, texts[i], embedded.Vectors[i], embedded.ModelId, [], createdAt);
            added.Add(record);
            // Each memory's history input is the one message it is: with the whole request per entry, an add of n
            // messages stored n² message copies (8,000 messages took 195 s and 6 GB).
            history.Add(History(record, HistoryEvent.Add, null, record.Text, [messages[i]], request.Actor, now));
        }

        await _store.ApplyAsync(request.ProjectId, new MemoryChangeSet { Added = added, History = history }, cancellationToken);
        var results = added.Select(r => new MemoryOperationResult(r.Id, MemoryOperation.Add, r.Text, null, r.Scope, r.Categories)).ToList();
        return new AddMemoriesResult(results, ExtractorKind.Verbatim, 0, 1);
    }

    /// <summary>Null unless every message's trimmed content is already the exact text of a memory of this scope.</summary>
    private async Task<IReadOnlyList<MemoryOperationResult>?> FindAlreadyStoredAsync(
        AddMemoriesRequest request, List<InputMessage> messages, CancellationToken cancellationToken)
    {
        var hashes = messages.Select(m => ContentHash.Compute(m.Content.Trim())).Distinct(StringComparer.Ordinal).ToList();
        var found = await _store.FindByHashAsync(request.ProjectId, request.Scope, hashes, cancellationToken);
        var byHash = new Dictionary<string, MemoryRecord>(StringComparer.Ordinal);
        foreach (var record in found)
        {
            byHash.TryAdd(record.Hash, record);
        }

        if (!hashes.All(byHash.ContainsKey))
        {
            return null;
        }

        return hashes.Select(h => byHash[h])
            .Select(r => new MemoryOperationResult(r.Id, MemoryOperation.None, r.Text, null, r.Scope, r.Categories))
            .ToList();
    }

    private async Task<AddPlan> PlanWithLlmAsync(AddMemoriesRequest request, List<InputMessage> messages, CancellationToken cancellationToken)
    {
        var conversation = string.Join('\n', messages.Select(m => $"{m.Role}: {m.Content.Trim()}"));
        var embedded = await _embeddings.EmbedAsync([conversation], cancellationToken);
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var neighbours = await _store.SearchAsync(request.ProjectId, new MemorySearchQuery
        {
            Filter = FilterScopes.Exact(request.Scope),
            Vector = embedded.Vectors[0],
            EmbeddingModel = embedded.ModelId,
            QueryText = conversation,
            TopK = _options.RetrievalTopK,
            IncludeExpired = false,
            Today = today,
        }, cancellationToken);
        var existing = neighbours.Select(n => n.Memory).ToList();

        var project = await _projects.GetProjectAsync(request.ProjectId, cancellationToken);
        var agentPerspective = IsAgentPerspective(request.Scope);
        var categories = ResolveCategories(request, project);
        var context = new ExtractionContext
        {
            Today = today,
            Messages = messages,
            ExistingMemories = existing.Select(m => m.Text).ToList(),
            Categories = categories,
            AgentPerspective = agentPerspective,
            CustomInstructions = request.CustomInstructions
                ?? (agentPerspective ? project?.AgentCustomInstructions ?? project?.CustomInstructions : project?.CustomInstructions),
            Includes = request.Includes,
            Excludes = request.Excludes,
        };
        var outcome = await _llm!.ExtractAsync(context, cancellationToken);
        var plan = Reconcile(outcome.Decisions, existing, categories);
        return plan with { LlmCalls = outcome.LlmCalls, PromptTokens = outcome.PromptTokens, EmbeddingCalls = 1 };
    }

    /// <summary>Only an agent id: the memories are the agent's own, so what the agent said is worth remembering too.</summary>
    private static bool IsAgentPerspective(MemoryScope scope) => scope.AgentId is not null && scope.UserId is null;

    private AddPlan Reconcile(IReadOnlyList<ExtractionDecision> decisions, List<MemoryRecord> existing, IReadOnlyList<CustomCategory> categories)
    {
        var plan = new AddPlan();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var knownHashes = existing.ToDictionary(m => m.Hash, StringComparer.Ordinal);
        var addedHashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var decision in decisions)
        {
            var target = Resolve(decision.Id, existing);
            switch (decision.Event)
            {
                case MemoryOperation.Add:
                    var hash = ContentHash.Compute(decision.Text!);
                    if (knownHashes.TryGetValue(hash, out var same))
                    {
                        plan.Unchanged.Add(same);
                    }
                    else if (addedHashes.Add(hash))
                    {
                        plan.Adds.Add(new PlannedAdd(decision.Text!, null, FilterCategories(decision.Categories, categories)));
                    }

                    break;

                case MemoryOperation.Update when target is null:
                case MemoryOperation.Delete when target is null:
                case MemoryOperation.None when target is null:
                    LogInventedId(_logger, decision.Event);
                    break;

                case MemoryOperation.Update or MemoryOperation.Delete when target!.Immutable || !touched.Add(target.Id):
                    // Inference never changes immutable memories, and one memory gets at most one change per add.
                    plan.Unchanged.Add(target);
                    break;

                case MemoryOperation.Update when string.Equals(target!.Text, decision.Text, StringComparison.Ordinal):
                    plan.Unchanged.Add(target);
                    break;

                case MemoryOperation.Update:
                    var updatedCategories = FilterCategories(decision.Categories, categories);
                    plan.Updates.Add(new PlannedUpdate(target!, decision.Text!, updatedCategories.Count > 0 ? updatedCategories : target!.Categories));
                    break;

                case MemoryOperation.Delete:
                    plan.Deletes.Add(target!);
                    break;

                case MemoryOperation.None:
                    plan.Unchanged.Add(target!);
                    break;
            }
        }

        return plan;
    }

    private static MemoryRecord? Resolve(string? shortId, List<MemoryRecord> existing) =>
        int.TryParse(shortId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
        && index < existing.Count
            ? existing[index]
            : null;

    private async Task<AddPlan> PlanHeuristicAsync(AddMemoriesRequest request, List<InputMessage> messages, CancellationToken cancellationToken)
    {
        var plan = new AddPlan();

        // Split message by message (the splitter's own de-duplication, kept across messages) so that each fact knows the
        // message it came from: that message, not the whole request, is the fact's history input.
        var agentPerspective = IsAgentPerspective(request.Scope);
        var facts = new List<string>();
        var sources = new List<InputMessage>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var message in messages)
        {
            foreach (var fact in HeuristicFactSplitter.Split([message], agentPerspective))
            {
                if (seen.Add(fact))
                {
                    facts.Add(fact);
                    sources.Add(message);
                }
            }
        }

        if (facts.Count == 0)
        {
            return plan;
        }

        var embedded = await _embeddings.EmbedAsync(facts, cancellationToken);
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var filter = FilterScopes.Exact(request.Scope);
        var accepted = new List<float[]>();
        for (var i = 0; i < facts.Count; i++)
        {
            var vector = embedded.Vectors[i];
            var nearest = await _store.SearchAsync(request.ProjectId, new MemorySearchQuery
            {
                Filter = filter,
                Vector = vector,
                EmbeddingModel = embedded.ModelId,
                QueryText = facts[i],
                TopK = 1,
                IncludeExpired = false,
                Today = today,
            }, cancellationToken);
            if (nearest.Count > 0 && (nearest[0].Score >= _options.DuplicateSimilarity || nearest[0].Memory.Text == facts[i]))
            {
                plan.Unchanged.Add(nearest[0].Memory);
                continue;
            }

            if (accepted.Any(earlier => VectorMath.Dot(earlier, vector) >= _options.DuplicateSimilarity))
            {
                continue;
            }

            accepted.Add(vector);
            plan.Adds.Add(new PlannedAdd(facts[i], vector, [], sources[i]));
        }

        return plan with { EmbeddingCalls = 1, EmbeddingModel = embedded.ModelId };
    }

    private async Task<AddMemoriesResult> ApplyAsync(AddMemoriesRequest request, List<InputMessage> messages, AddPlan plan, CancellationToken cancellationToken)
    {
        var embeddingCalls = plan.EmbeddingCalls;
        var toEmbed = plan.Adds.Where(a => a.Vector is null).Select(a => a.Text)
            .Concat(plan.Updates.Select(u => u.Text))
            .ToList();
        var embedded = new EmbeddedBatch([], plan.EmbeddingModel ?? "");
        if (toEmbed.Count > 0)
        {
            embedded = await _embeddings.EmbedAsync(toEmbed, cancellationToken);
            embeddingCalls++;
        }

        var now = _time.GetUtcNow();
        var createdAt = request.Timestamp ?? now;
        var changes = new ChangeSetBuilder();
        var results = new List<MemoryOperationResult>();
        var next = 0;
        foreach (var add in plan.Adds)
        {
            var vector = add.Vector ?? embedded.Vectors[next++];
            var record = NewMemory(request, add.Text, vector, add.Vector is null ? embedded.ModelId : plan.EmbeddingModel!, add.Categories, createdAt);
            changes.Added.Add(record);
            changes.History.Add(History(record, HistoryEvent.Add, null, record.Text, add.Source is { } source ? [source] : messages, InferenceActor, now));
            results.Add(new MemoryOperationResult(record.Id, MemoryOperation.Add, record.Text, null, record.Scope, record.Categories));
        }

        foreach (var update in plan.Updates)
        {
            var old = update.Existing;
            var record = old with
            {
                Text = update.Text,
                Hash = ContentHash.Compute(update.Text),
                Embedding = embedded.Vectors[next++],
                EmbeddingModel = embedded.ModelId,
                Categories = update.Categories,
                UpdatedAt = now,
            };
            changes.Updated.Add(record);
            changes.History.Add(History(record, HistoryEvent.Update, old.Text, record.Text, messages, InferenceActor, now));
            results.Add(new MemoryOperationResult(record.Id, MemoryOperation.Update, record.Text, old.Text, record.Scope, record.Categories));
        }

        foreach (var deleted in plan.Deletes)
        {
            changes.Deleted.Add(deleted);
            changes.History.Add(History(deleted, HistoryEvent.Delete, deleted.Text, null, messages, InferenceActor, now));
            results.Add(new MemoryOperationResult(deleted.Id, MemoryOperation.Delete, deleted.Text, null, deleted.Scope, deleted.Categories));
        }

        var reported = results.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var unchanged in plan.Unchanged.DistinctBy(m => m.Id).Where(m => !reported.Contains(m.Id)))
        {
            results.Add(new MemoryOperationResult(unchanged.Id, MemoryOperation.None, unchanged.Text, null, unchanged.Scope, unchanged.Categories));
        }

        var changeSet = changes.Build();
        if (!changeSet.IsEmpty)
        {
            await _store.ApplyAsync(request.ProjectId, changeSet, cancellationToken);
        }

        LogAddApplied(_logger, request.ProjectId, Extractor, plan.Adds.Count, plan.Updates.Count, plan.Deletes.Count);
        return new AddMemoriesResult(results, Extractor, plan.LlmCalls, embeddingCalls) { PromptTokens = plan.PromptTokens };
    }

    private static IReadOnlyList<CustomCategory> ResolveCategories(AddMemoriesRequest request, Project? project)
    {
        if (request.CustomCategories is { Count: > 0 } perCall)
        {
            return perCall;
        }

        return project?.CustomCategories is { Count: > 0 } projectCategories ? projectCategories : DefaultCategories.All;
    }

    /// <summary>Keeps only categories of the allowed list, spelled as the list spells them.</summary>
    private static IReadOnlyList<string> FilterCategories(IReadOnlyList<string> proposed, IReadOnlyList<CustomCategory> allowed)
    {
        var result = new List<string>();
        foreach (var name in proposed)
        {
            var match = allowed.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is not null && !result.Contains(match.Name, StringComparer.Ordinal))
            {
                result.Add(match.Name);
            }
        }

        return result;
    }

    private static MemoryRecord NewMemory(
        AddMemoriesRequest request, string text, float[] vector, string modelId, IReadOnlyList<string> categories, DateTimeOffset createdAt) =>
        new()
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = request.ProjectId,
            Text = text,
            Hash = ContentHash.Compute(text),
            Embedding = vector,
            EmbeddingModel = modelId,
            Scope = request.Scope,
            Metadata = request.Metadata?.Clone(),
            Categories = categories,
            Immutable = request.Immutable,
            ExpirationDate = request.ExpirationDate,
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
        };

    internal static HistoryEntry History(
        MemoryRecord record, HistoryEvent kind, string? oldText, string? newText, IReadOnlyList<InputMessage> input, string? actor, DateTimeOffset now) =>
        new()
        {
            Id = Guid.NewGuid().ToString(),
            ProjectId = record.ProjectId,
            MemoryId = record.Id,
            Event = kind,
            OldMemory = oldText,
            NewMemory = newText,
            Input = input,
            Scope = record.Scope,
            Categories = record.Categories,
            Metadata = record.Metadata,
            Actor = actor,
            CreatedAt = now,
            UpdatedAt = now,
        };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Add for project {ProjectId} skipped: all {Count} messages already stored in the scope")]
    private static partial void LogHashShortCircuit(ILogger logger, string projectId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a {Operation} for a memory id the model was never shown")]
    private static partial void LogInventedId(ILogger logger, MemoryOperation operation);

    [LoggerMessage(Level = LogLevel.Information, Message = "Add for project {ProjectId} by {Extractor}: {Added} added, {Updated} updated, {Deleted} deleted")]
    private static partial void LogAddApplied(ILogger logger, string projectId, string extractor, int added, int updated, int deleted);

    /// <summary>A memory to add; <paramref name="Source"/> is the one message it came from, when that is known.</summary>
    private sealed record PlannedAdd(string Text, float[]? Vector, IReadOnlyList<string> Categories, InputMessage? Source = null);

    private sealed record PlannedUpdate(MemoryRecord Existing, string Text, IReadOnlyList<string> Categories);

    private sealed record AddPlan
    {
        public List<PlannedAdd> Adds { get; } = [];

        public List<PlannedUpdate> Updates { get; } = [];

        public List<MemoryRecord> Deletes { get; } = [];

        public List<MemoryRecord> Unchanged { get; } = [];

        public int LlmCalls { get; init; }

        public long PromptTokens { get; init; }

        public int EmbeddingCalls { get; init; }

        /// <summary>Model of vectors already computed during planning (heuristic path).</summary>
        public string? EmbeddingModel { get; init; }
    }
}

/// <summary>Collects the parts of one atomic change set.</summary>
internal sealed class ChangeSetBuilder
{
    public List<MemoryRecord> Added { get; } = [];

    public List<MemoryRecord> Updated { get; } = [];

    public List<MemoryRecord> Deleted { get; } = [];

    public List<HistoryEntry> History { get; } = [];

    public MemoryChangeSet Build() => new() { Added = Added, Updated = Updated, Deleted = Deleted, History = History };
}
