using Mem0.Core.Memories;
using Mem0.Testing.AI;
using Mem0.Testing.Projects;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mem0.Testing.Engine;

/// <summary>A <see cref="MemoryService"/> wired with test doubles: hashing embeddings, a fake clock and project store.</summary>
public sealed class EngineHarness
{
    public const string ProjectId = "proj-1";

    public static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public EngineHarness(IMemoryStore store, IChatClient? chatClient = null, MemoryEngineOptions? options = null, IPendingDeletes? pendingDeletes = null)
    {
        Store = store;
        ChatClient = chatClient;
        var engineOptions = Options.Create(options ?? new MemoryEngineOptions());
        Pipeline = new AddPipeline(store, Projects, Embeddings, new InProcessScopeLock(), engineOptions, Time, NullLogger<AddPipeline>.Instance, chatClient);
        Service = new MemoryService(store, Pipeline, Embeddings, engineOptions, Time, NullLogger<MemoryService>.Instance, pendingDeletes);
    }

    public IMemoryStore Store { get; }

    public IChatClient? ChatClient { get; }

    public MemoryService Service { get; }

    public AddPipeline Pipeline { get; }

    public HashingEmbeddingGenerator Embeddings { get; } = new();

    public FakeTimeProvider Time { get; } = new(Start);

    public FakeProjectStore Projects { get; } = new(FakeProjectStore.NewProject(ProjectId));

    public static AddMemoriesRequest Add(MemoryScope scope, params string[] userMessages) => new()
    {
        ProjectId = ProjectId,
        Scope = scope,
        Messages = userMessages.Select(m => new InputMessage("user", m)).ToList(),
    };
}
