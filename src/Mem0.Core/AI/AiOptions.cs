using System.ComponentModel.DataAnnotations;

namespace Mem0.Core.AI;

/// <summary>Which service answers chat (fact extraction) calls.</summary>
public enum AiProvider
{
    /// <summary>No language model: the heuristic extractor stands in.</summary>
    None,
    OpenAI,
    AzureOpenAI,

    /// <summary>Any server speaking the OpenAI REST API (Ollama, LM Studio, vLLM, ...).</summary>
    OpenAICompatible,
}

/// <summary>Which service produces embeddings.</summary>
public enum EmbeddingProvider
{
    /// <summary>An in-process model, snowflake-arctic-embed-xs or all-MiniLM-L6-v2 (registered by Mem0.Local).</summary>
    Local,
    OpenAI,
    AzureOpenAI,
    OpenAICompatible,
}

/// <summary>Settings of the chat and embedding clients ("Mem0:AI").</summary>
public sealed class AiOptions : IValidatableObject
{
    public const string SectionName = "Mem0:AI";

    /// <summary>The local models' ids and size; the only values accepted with <see cref="EmbeddingProvider.Local"/>.</summary>
    public const string LocalEmbeddingModel = "all-MiniLM-L6-v2";
    public const string LocalRetrievalEmbeddingModel = "snowflake-arctic-embed-xs";
    public const int LocalEmbeddingDimensions = 384;

    public AiProvider Provider { get; set; } = AiProvider.None;

    /// <summary>
    /// Base address: the Azure OpenAI resource ("https://name.openai.azure.com/"), an OpenAI-compatible server
    /// ("http://localhost:11434/v1/"), or an override of api.openai.com.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>API key. For Azure OpenAI leave it empty to use managed identity (keyless).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Chat model name, or the deployment name on Azure OpenAI.</summary>
    public string? ChatModel { get; set; }

    public EmbeddingProvider EmbeddingProvider { get; set; } = EmbeddingProvider.Local;

    /// <summary>Embedding model name, or the deployment name on Azure OpenAI.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>Requested embedding size (sent to the service when set); must match the vector index.</summary>
    [Range(1, 4096)]
    public int? EmbeddingDimensions { get; set; }

    /// <summary>Default sampling temperature for chat calls that do not set one.</summary>
    [Range(0.0, 2.0)]
    public float? Temperature { get; set; }

    /// <summary>Time allowed for one attempt of one HTTP call to the AI service.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries after a throttled (429) or failed (5xx, timeout) call, with backoff honouring Retry-After.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>True when chat goes to Azure OpenAI with a managed identity, which Mem0.Azure's AddAzureOpenAI wires.</summary>
    public bool UsesKeylessAzureChat => Provider == AiProvider.AzureOpenAI && string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>True when embeddings come from Azure OpenAI with a managed identity.</summary>
    public bool UsesKeylessAzureEmbeddings =>
        EmbeddingProvider == EmbeddingProvider.AzureOpenAI && string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>The embedding size the configured provider produces, when known.</summary>
    public int? EffectiveEmbeddingDimensions =>
        EmbeddingProvider == EmbeddingProvider.Local ? LocalEmbeddingDimensions : EmbeddingDimensions;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Endpoint)
            && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            yield return Error($"Mem0:AI:Endpoint '{Endpoint}' is not an absolute http(s) URL.", nameof(Endpoint));
        }

        foreach (var error in ValidateChat())
        {
            yield return error;
        }

        foreach (var error in ValidateEmbeddings())
        {
            yield return error;
        }
    }

    private IEnumerable<ValidationResult> ValidateChat()
    {
        if (Provider == AiProvider.None)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(ChatModel))
        {
            var what = Provider == AiProvider.AzureOpenAI ? "the chat deployment name" : "the chat model name";
            yield return Error($"Mem0:AI:Provider={Provider} needs Mem0:AI:ChatModel ({what}).", nameof(ChatModel));
        }

        foreach (var error in ValidateConnection(Provider.ToString(), "Mem0:AI:Provider"))
        {
            yield return error;
        }
    }

    private IEnumerable<ValidationResult> ValidateEmbeddings()
    {
        if (EmbeddingProvider == EmbeddingProvider.Local)
        {
            if (!string.IsNullOrWhiteSpace(EmbeddingModel)
                && !string.Equals(EmbeddingModel, LocalEmbeddingModel, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(EmbeddingModel, LocalRetrievalEmbeddingModel, StringComparison.OrdinalIgnoreCase))
            {
                yield return Error(
                    $"Mem0:AI:EmbeddingProvider=Local runs only {LocalRetrievalEmbeddingModel} or {LocalEmbeddingModel}; Mem0:AI:EmbeddingModel '{EmbeddingModel}' is not available locally.",
                    nameof(EmbeddingModel));
            }

            if (EmbeddingDimensions is { } dimensions && dimensions != LocalEmbeddingDimensions)
            {
                yield return Error(
                    $"Mem0:AI:EmbeddingProvider=Local produces {LocalEmbeddingDimensions} dimensions; Mem0:AI:EmbeddingDimensions is {dimensions}.",
                    nameof(EmbeddingDimensions));
            }

            yield break;
        }

        if (string.IsNullOrWhiteSpace(EmbeddingModel))
        {
            var what = EmbeddingProvider == EmbeddingProvider.AzureOpenAI ? "the embedding deployment name" : "the embedding model name";
            yield return Error($"Mem0:AI:EmbeddingProvider={EmbeddingProvider} needs Mem0:AI:EmbeddingModel ({what}).", nameof(EmbeddingModel));
        }

        foreach (var error in ValidateConnection(EmbeddingProvider.ToString(), "Mem0:AI:EmbeddingProvider"))
        {
            yield return error;
        }
    }

    private IEnumerable<ValidationResult> ValidateConnection(string provider, string setting)
    {
        switch (provider)
        {
            case nameof(AiProvider.OpenAI) when string.IsNullOrWhiteSpace(ApiKey):
                yield return Error($"{setting}=OpenAI needs Mem0:AI:ApiKey.", nameof(ApiKey));
                break;
            case nameof(AiProvider.AzureOpenAI) when string.IsNullOrWhiteSpace(Endpoint):
                yield return Error(
                    $"{setting}=AzureOpenAI needs Mem0:AI:Endpoint (https://<resource>.openai.azure.com/).", nameof(Endpoint));
                break;
            case nameof(AiProvider.OpenAICompatible) when string.IsNullOrWhiteSpace(Endpoint):
                yield return Error(
                    $"{setting}=OpenAICompatible needs Mem0:AI:Endpoint (the server's OpenAI base URL, e.g. http://localhost:11434/v1/).",
                    nameof(Endpoint));
                break;
        }
    }

    private static ValidationResult Error(string message, string member) => new(message, [member]);
}
