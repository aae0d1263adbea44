using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Mem0.Core.AI;

/// <summary>
/// Builds Microsoft.Extensions.AI clients with the plain OpenAI SDK for OpenAI, OpenAI-compatible servers
/// (Ollama, LM Studio, vLLM) and Azure OpenAI with an API key (its /openai/v1/ surface speaks the OpenAI API).
/// Keyless Azure OpenAI is built by Mem0.Azure.
/// </summary>
public sealed class OpenAIClientFactory(IHttpClientFactory httpClientFactory, IOptions<AiOptions> options)
{
    // OpenAI-compatible servers often need no key, but the SDK refuses an empty credential.
    private const string PlaceholderApiKey = "not-needed";

    private readonly AiOptions _options = options.Value;

    public IChatClient CreateChatClient()
    {
        if (_options.Provider == AiProvider.None)
        {
            throw new InvalidOperationException("Mem0:AI:Provider is None: no chat client is configured.");
        }

        var model = _options.ChatModel ?? throw new InvalidOperationException("Mem0:AI:ChatModel is not set.");
        var client = CreateClient(_options.Provider.ToString());
        return AiClientPipeline.WithDefaults(client.GetChatClient(model).AsIChatClient(), _options);
    }

    public IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator()
    {
        if (_options.EmbeddingProvider == EmbeddingProvider.Local)
        {
            throw new InvalidOperationException("Mem0:AI:EmbeddingProvider is Local: the local model is registered by Mem0.Local.");
        }

        var model = _options.EmbeddingModel ?? throw new InvalidOperationException("Mem0:AI:EmbeddingModel is not set.");
        var client = CreateClient(_options.EmbeddingProvider.ToString());
        return AiClientPipeline.WithTelemetry(client.GetEmbeddingClient(model).AsIEmbeddingGenerator(_options.EmbeddingDimensions));
    }

    /// <summary>The base address the OpenAI SDK is given for a provider, or null for api.openai.com.</summary>
    public static Uri? ResolveEndpoint(string provider, string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return null;
        }

        var uri = new Uri(endpoint, UriKind.Absolute);
        if (provider != nameof(AiProvider.AzureOpenAI) || uri.AbsolutePath.Contains("/openai/v1", StringComparison.OrdinalIgnoreCase))
        {
            return uri;
        }

        // Azure OpenAI's OpenAI-compatible surface lives under /openai/v1/ on the resource endpoint.
        var root = uri.AbsoluteUri.EndsWith('/') ? uri.AbsoluteUri : uri.AbsoluteUri + "/";
        return new Uri(new Uri(root), "openai/v1/");
    }

    private OpenAIClient CreateClient(string provider)
    {
        var clientOptions = new OpenAIClientOptions { Endpoint = ResolveEndpoint(provider, _options.Endpoint) };
        AiClientPipeline.Configure(clientOptions, httpClientFactory.CreateClient(AiClientPipeline.HttpClientName));
        var apiKey = string.IsNullOrWhiteSpace(_options.ApiKey) ? null : _options.ApiKey;
        if (provider == nameof(AiProvider.AzureOpenAI))
        {
            if (apiKey is null)
            {
                throw new InvalidOperationException(
                    "Keyless Azure OpenAI (no Mem0:AI:ApiKey) is provided by Mem0.Azure: call builder.AddAzureOpenAI().");
            }

            // Azure accepts the key as a bearer token on /openai/v1/; its native api-key header is sent as well.
            clientOptions.AddPolicy(new ApiKeyHeaderPolicy(apiKey), PipelinePosition.PerCall);
        }

        return new OpenAIClient(new ApiKeyCredential(apiKey ?? PlaceholderApiKey), clientOptions);
    }

    /// <summary>Adds Azure OpenAI's "api-key" header to every request.</summary>
    private sealed class ApiKeyHeaderPolicy(string apiKey) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("api-key", apiKey);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set("api-key", apiKey);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
