using Mem0.Core.Memories;
using Microsoft.Extensions.AI;

namespace Mem0.Core.AI;

/// <summary>
/// What the service runs with — extractor, language model, embedder and embedding model — as <c>GET /v1/ping/</c>
/// reports it under <c>runtime</c> (our addition; the dashboard's Project page shows it). Names only: never an endpoint,
/// key or deployment URL.
/// </summary>
public sealed class ServiceRuntime(MemoryService memories, IEmbeddingGenerator<string, Embedding<float>> embedder, IChatClient? chatClient = null)
{
    private readonly Lazy<RuntimeDescription> _description = new(() =>
    {
        var embedding = embedder.GetService<EmbeddingGeneratorMetadata>();
        var chat = chatClient?.GetService<ChatClientMetadata>();
        return new RuntimeDescription(
            memories.Extractor,
            chatClient is null ? null : chat?.DefaultModelId ?? chat?.ProviderName ?? "configured",
            embedding?.ProviderName ?? embedder.GetType().Name,
            embedding?.DefaultModelId,
            embedding?.DefaultModelDimensions);
    });

    public RuntimeDescription Describe() => _description.Value;
}

/// <summary>The <c>runtime</c> object of the ping answer (snake_case on the wire).</summary>
public sealed record RuntimeDescription(string Extractor, string? ChatModel, string Embedder, string? EmbeddingModel, int? EmbeddingDimensions);
