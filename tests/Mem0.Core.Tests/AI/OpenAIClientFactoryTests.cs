using Mem0.Core.AI;
using Mem0.Testing.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mem0.Core.Tests.AI;

/// <summary>The OpenAI-family clients over real HTTP against a local fake OpenAI endpoint.</summary>
public sealed class OpenAIClientFactoryTests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ChatClient_JsonResponseFormat_SendsJsonObjectAndModelAndReturnsReply()
    {
        _server.EnqueueChatReply("""{"facts":["likes tea"]}""");
        using var host = BuildCompatibleHost();
        var chat = host.Services.GetRequiredService<IChatClient>();

        var response = await chat.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Extract facts as JSON."), new ChatMessage(ChatRole.User, "I like tea.")],
            new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        Assert.Equal("""{"facts":["likes tea"]}""", response.Text);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("llama3.2", request.Json!["model"]!.GetValue<string>());
        Assert.Equal("json_object", request.Json!["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal(2, request.Json!["messages"]!.AsArray().Count);
    }

    [Fact]
    public async Task ChatClient_TemperatureConfigured_SentWhenCallDoesNotSetOne()
    {
        using var host = BuildCompatibleHost(("Mem0:AI:Temperature", "0.2"));
        var chat = host.Services.GetRequiredService<IChatClient>();

        await chat.GetResponseAsync("hello");

        Assert.Equal(0.2, Assert.Single(_server.Requests).Json!["temperature"]!.GetValue<double>(), 0.0001);
    }

    [Fact]
    public async Task EmbeddingGenerator_BatchOfThree_ReturnsVectorsOfRequestedDimensionsInOrder()
    {
        using var host = BuildCompatibleHost(("Mem0:AI:EmbeddingDimensions", "16"));
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        string[] texts = ["alpha", "beta", "gamma"];

        var embeddings = await generator.GenerateAsync(texts);

        Assert.Equal(3, embeddings.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(FakeOpenAIServer.VectorFor(texts[i], 16), embeddings[i].Vector.ToArray());
        }

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/v1/embeddings", request.Path);
        Assert.Equal("nomic-embed-text", request.Json!["model"]!.GetValue<string>());
        Assert.Equal(16, request.Json!["dimensions"]!.GetValue<int>());
        Assert.Equal(3, request.Json!["input"]!.AsArray().Count);
    }

    [Fact]
    public async Task ChatClient_ThrottledWithRetryAfter_RetriesAndSucceeds()
    {
        _server.EnqueueFailure(429, retryAfter: "1");
        _server.EnqueueChatReply("ok");
        using var host = BuildCompatibleHost();
        var chat = host.Services.GetRequiredService<IChatClient>();

        var response = await chat.GetResponseAsync("hello");

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task EmbeddingGenerator_ServerErrorThenSuccess_Retries()
    {
        _server.EnqueueFailure(503, retryAfter: "0");
        using var host = BuildCompatibleHost();
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var embeddings = await generator.GenerateAsync(["one"]);

        Assert.Single(embeddings);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task ChatClient_BadRequest_IsNotRetried()
    {
        _server.EnqueueFailure(400);
        using var host = BuildCompatibleHost();
        var chat = host.Services.GetRequiredService<IChatClient>();

        await Assert.ThrowsAnyAsync<Exception>(() => chat.GetResponseAsync("hello"));

        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task ChatClient_AzureWithApiKey_CallsOpenAIV1PathWithKey()
    {
        using var host = AiHostFactory.Build(new Dictionary<string, string?>
        {
            ["Mem0:AI:Provider"] = "AzureOpenAI",
            ["Mem0:AI:Endpoint"] = _server.BaseUri.ToString(),
            ["Mem0:AI:ApiKey"] = "azure-key",
            ["Mem0:AI:ChatModel"] = "gpt-4o-mini-deployment",
            ["Mem0:AI:EmbeddingProvider"] = "AzureOpenAI",
            ["Mem0:AI:EmbeddingModel"] = "embedding-deployment",
        });
        var chat = host.Services.GetRequiredService<IChatClient>();
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        await chat.GetResponseAsync("hello", new ChatOptions { ResponseFormat = ChatResponseFormat.Json });
        await generator.GenerateAsync(["one", "two"]);

        var chatRequest = _server.Requests[0];
        Assert.Equal("/openai/v1/chat/completions", chatRequest.Path);
        Assert.Equal("gpt-4o-mini-deployment", chatRequest.Json!["model"]!.GetValue<string>());
        Assert.Equal("azure-key", chatRequest.Header("api-key"));
        Assert.Equal("Bearer azure-key", chatRequest.Header("Authorization"));
        Assert.Equal("/openai/v1/embeddings", _server.Requests[1].Path);
        Assert.Equal("embedding-deployment", _server.Requests[1].Json!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task AddMem0AI_CalledTwice_RegistersOnceAndStillWorks()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mem0:AI:Provider"] = "OpenAICompatible",
            ["Mem0:AI:Endpoint"] = _server.BaseUri.ToString(),
            ["Mem0:AI:ChatModel"] = "m",
        });
        builder.AddMem0AI();
        builder.AddMem0AI();
        using var host = builder.Build();

        await host.Services.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Single(builder.Services, d => d.ServiceType == typeof(OpenAIClientFactory));
        Assert.Single(builder.Services, d => d.ServiceType == typeof(IChatClient));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public void AddMem0AI_ProviderNone_RegistersNoChatClient()
    {
        using var host = AiHostFactory.Build(new Dictionary<string, string?> { ["Mem0:AI:Provider"] = "None" });

        Assert.Null(host.Services.GetService<IChatClient>());
        Assert.Null(host.Services.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    [Fact]
    public void AddMem0AI_KeylessAzureWithoutAzureRegistration_RegistersNoClient()
    {
        using var host = AiHostFactory.Build(new Dictionary<string, string?>
        {
            ["Mem0:AI:Provider"] = "AzureOpenAI",
            ["Mem0:AI:Endpoint"] = "https://example.openai.azure.com/",
            ["Mem0:AI:ChatModel"] = "chat",
        });

        Assert.Null(host.Services.GetService<IChatClient>());
    }

    [Theory]
    [InlineData("AzureOpenAI", "https://res.openai.azure.com", "https://res.openai.azure.com/openai/v1/")]
    [InlineData("AzureOpenAI", "https://res.openai.azure.com/", "https://res.openai.azure.com/openai/v1/")]
    [InlineData("AzureOpenAI", "https://res.openai.azure.com/openai/v1/", "https://res.openai.azure.com/openai/v1/")]
    [InlineData("OpenAICompatible", "http://localhost:11434/v1/", "http://localhost:11434/v1/")]
    [InlineData("OpenAI", null, null)]
    public void ResolveEndpoint_Provider_GivesSdkBaseAddress(string provider, string? endpoint, string? expected)
    {
        Assert.Equal(expected, OpenAIClientFactory.ResolveEndpoint(provider, endpoint)?.AbsoluteUri);
    }

    private IHost BuildCompatibleHost(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mem0:AI:Provider"] = "OpenAICompatible",
            ["Mem0:AI:Endpoint"] = new Uri(_server.BaseUri, "v1/").ToString(),
            ["Mem0:AI:ChatModel"] = "llama3.2",
            ["Mem0:AI:EmbeddingProvider"] = "OpenAICompatible",
            ["Mem0:AI:EmbeddingModel"] = "nomic-embed-text",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return AiHostFactory.Build(settings);
    }
}
