using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.Core;
using Mem0.Core.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Mem0.Azure.AI;

/// <summary>
/// Builds keyless Azure OpenAI clients: the GA OpenAI SDK on the resource's <c>/openai/v1/</c> surface with an Entra ID
/// bearer token from the app's one credential (managed identity in Azure), over the same resilient HttpClient as every
/// other AI client. The prerelease Azure.AI.OpenAI package is not needed for this.
/// </summary>
public sealed class AzureOpenAIClientFactory(IHttpClientFactory httpClientFactory, IOptions<AiOptions> options, TokenCredential credential)
{
    /// <summary>The Entra ID scope Azure OpenAI (Cognitive Services) accepts tokens for.</summary>
    public const string TokenScope = "https://cognitiveservices.azure.com/.default";

    /// <summary>
    /// The pinned API version. The v1 surface carries its version in the path (<c>/openai/v1/</c>) instead of an
    /// <c>api-version</c> query parameter, so pinning it means always calling that path.
    /// </summary>
    public const string ApiVersion = "v1";

    private const string PlaceholderKey = "entra-id";

    private readonly AiOptions _options = options.Value;

    public IChatClient CreateChatClient()
    {
        var deployment = _options.ChatModel ?? throw new InvalidOperationException("Mem0:AI:ChatModel (the chat deployment) is not set.");
        return AiClientPipeline.WithDefaults(CreateClient().GetChatClient(deployment).AsIChatClient(), _options);
    }

    public IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator()
    {
        var deployment = _options.EmbeddingModel ?? throw new InvalidOperationException("Mem0:AI:EmbeddingModel (the embedding deployment) is not set.");
        return AiClientPipeline.WithTelemetry(CreateClient().GetEmbeddingClient(deployment).AsIEmbeddingGenerator(_options.EmbeddingDimensions));
    }

    /// <summary>The v1 base address for a resource endpoint, whatever path the setting carries (none, or /openai/v1/).</summary>
    public static Uri ResolveEndpoint(string endpoint)
    {
        var uri = new Uri(endpoint, UriKind.Absolute);
        return new Uri(uri.GetLeftPart(UriPartial.Authority) + $"/openai/{ApiVersion}/");
    }

    private OpenAIClient CreateClient()
    {
        var endpoint = _options.Endpoint ?? throw new InvalidOperationException("Mem0:AI:Endpoint (the Azure OpenAI resource) is not set.");
        var clientOptions = new OpenAIClientOptions { Endpoint = ResolveEndpoint(endpoint) };
        AiClientPipeline.Configure(clientOptions, httpClientFactory.CreateClient(AiClientPipeline.HttpClientName));

        // The constructor taking an AuthenticationPolicy is marked for evaluation only; the GA surface takes a key. So the
        // client gets a placeholder key and the token policy, last before the transport, replaces its Authorization header.
        clientOptions.AddPolicy(new EntraTokenPolicy(credential, TokenScope), PipelinePosition.BeforeTransport);
        return new OpenAIClient(new ApiKeyCredential(PlaceholderKey), clientOptions);
    }
}
