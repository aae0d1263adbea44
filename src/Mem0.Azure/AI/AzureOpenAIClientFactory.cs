using Azure.AI.OpenAI;
using Azure.Core;
using Mem0.Core.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.AI;

/// <summary>
/// Builds keyless Azure OpenAI clients (Entra ID token, managed identity in Azure) for the configured chat and
/// embedding deployments, over the same resilient HttpClient as every other AI client.
/// </summary>
public sealed class AzureOpenAIClientFactory(IHttpClientFactory httpClientFactory, IOptions<AiOptions> options, TokenCredential credential)
{
    private readonly AiOptions _options = options.Value;

    public IChatClient CreateChatClient()
    {
        var deployment = _options.ChatModel ?? throw new InvalidOperationException("Mem0:AI:ChatModel (the chat deployment) is not set.");
        return AiClientPipeline.WithDefaults(CreateClient().GetChatClient(deployment).AsIChatClient(), _options);
    }

    public IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator()
    {
        var deployment = _options.EmbeddingModel ?? throw new InvalidOperationException("Mem0:AI:EmbeddingModel (the embedding deployment) is not set.");
        return CreateClient().GetEmbeddingClient(deployment).AsIEmbeddingGenerator(_options.EmbeddingDimensions);
    }

    /// <summary>The resource root the Azure client expects, whatever path the setting carries (e.g. /openai/v1/).</summary>
    public static Uri ResolveResourceEndpoint(string endpoint)
    {
        var uri = new Uri(endpoint, UriKind.Absolute);
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private AzureOpenAIClient CreateClient()
    {
        var endpoint = _options.Endpoint ?? throw new InvalidOperationException("Mem0:AI:Endpoint (the Azure OpenAI resource) is not set.");
        var clientOptions = new AzureOpenAIClientOptions();
        AiClientPipeline.Configure(clientOptions, httpClientFactory.CreateClient(AiClientPipeline.HttpClientName));
        return new AzureOpenAIClient(ResolveResourceEndpoint(endpoint), credential, clientOptions);
    }
}
