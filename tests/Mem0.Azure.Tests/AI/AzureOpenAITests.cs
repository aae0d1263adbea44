using Azure.Core;
using Mem0.Azure.AI;
using Mem0.Azure.Tests.Identity;
using Mem0.Core.AI;
using Mem0.Testing.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mem0.Azure.Tests.AI;

/// <summary>Azure OpenAI wiring over real HTTP against a local fake endpoint (catches package binding errors too).</summary>
public sealed class AzureOpenAITests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ChatClient_KeylessWithCredential_SendsBearerTokenToDeployment()
    {
        var credential = new RecordingTokenCredential("fake-entra-token");
        using var host = BuildHost(credential, KeylessSettings());
        var chat = host.Services.GetRequiredService<IChatClient>();

        var response = await chat.GetResponseAsync("hello", new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        Assert.Equal("{}", response.Text);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer fake-entra-token", request.Header("Authorization"));
        Assert.Null(request.Header("api-key"));
        Assert.Contains("chat-deployment", request.Path + request.Json?["model"], StringComparison.Ordinal);
        Assert.EndsWith("/chat/completions", request.Path, StringComparison.Ordinal);
        Assert.Equal("json_object", request.Json!["response_format"]!["type"]!.GetValue<string>());
        Assert.Contains("https://cognitiveservices.azure.com/.default", credential.RequestedScopes);
    }

    [Fact]
    public async Task EmbeddingGenerator_Keyless_SendsBearerTokenAndReturnsVectors()
    {
        using var host = BuildHost(new RecordingTokenCredential("embed-token"), KeylessSettings());
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var embeddings = await generator.GenerateAsync(["a", "b", "c"]);

        Assert.Equal(3, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(32, e.Vector.Length));
        Assert.Equal(FakeOpenAIServer.VectorFor("b", 32), embeddings[1].Vector.ToArray());
        var request = Assert.Single(_server.Requests);
        Assert.Equal("Bearer embed-token", request.Header("Authorization"));
        Assert.EndsWith("/embeddings", request.Path, StringComparison.Ordinal);
    }

    /// <summary>
    /// The model id every memory records next to its vector (Core reads it from this metadata): search compares only
    /// vectors of the query's model, and the re-embedding timer re-embeds memories of any other one.
    /// </summary>
    [Fact]
    public void EmbeddingGenerator_Keyless_ReportsTheDeploymentAsItsModel()
    {
        using var host = BuildHost(new RecordingTokenCredential("unused"), KeylessSettings());
        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.Equal("embedding-deployment", generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }

    [Fact]
    public async Task ChatClient_AzureWithApiKey_UsesOpenAIV1PathNotTheCredential()
    {
        var credential = new RecordingTokenCredential("unused");
        var settings = KeylessSettings();
        settings["Mem0:AI:ApiKey"] = "resource-key";
        using var host = BuildHost(credential, settings);
        var chat = host.Services.GetRequiredService<IChatClient>();

        await chat.GetResponseAsync("hello");

        var request = Assert.Single(_server.Requests);
        Assert.Equal("/openai/v1/chat/completions", request.Path);
        Assert.Equal("resource-key", request.Header("api-key"));
        Assert.Empty(credential.RequestedScopes);
    }

    [Theory]
    [InlineData("https://res.openai.azure.com/openai/v1/")]
    [InlineData("https://res.openai.azure.com")]
    [InlineData("https://res.openai.azure.com/")]
    public void ResolveEndpoint_AnyPath_GivesThePinnedV1Surface(string endpoint)
    {
        Assert.Equal("https://res.openai.azure.com/openai/v1/", AzureOpenAIClientFactory.ResolveEndpoint(endpoint).AbsoluteUri);
    }

    [Fact]
    public async Task ChatAndEmbeddings_Keyless_SendBearerTokenOnOpenAIV1Path()
    {
        var credential = new RecordingTokenCredential("v1-token");
        using var host = BuildHost(credential, KeylessSettings());

        var reply = await host.Services.GetRequiredService<IChatClient>().GetResponseAsync("hello");
        var vectors = await host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["x"]);

        Assert.Equal("{}", reply.Text);
        Assert.Equal(32, Assert.Single(vectors).Vector.Length);
        Assert.Collection(
            _server.Requests,
            chat =>
            {
                Assert.Equal("/openai/v1/chat/completions", chat.Path);
                Assert.Equal("chat-deployment", chat.Json!["model"]!.GetValue<string>());
                Assert.Equal("Bearer v1-token", chat.Header("Authorization"));
                Assert.Empty(chat.QueryString);
            },
            embeddings =>
            {
                Assert.Equal("/openai/v1/embeddings", embeddings.Path);
                Assert.Equal("embedding-deployment", embeddings.Json!["model"]!.GetValue<string>());
                Assert.Equal("Bearer v1-token", embeddings.Header("Authorization"));
            });
        Assert.All(credential.RequestedScopes, scope => Assert.Equal(AzureOpenAIClientFactory.TokenScope, scope));
    }

    private Dictionary<string, string?> KeylessSettings() => new()
    {
        ["Mem0:AI:Provider"] = "AzureOpenAI",
        ["Mem0:AI:Endpoint"] = _server.BaseUri.ToString(),
        ["Mem0:AI:ChatModel"] = "chat-deployment",
        ["Mem0:AI:EmbeddingProvider"] = "AzureOpenAI",
        ["Mem0:AI:EmbeddingModel"] = "embedding-deployment",
        ["Mem0:AI:EmbeddingDimensions"] = "32",
    };

    private static IHost BuildHost(TokenCredential credential, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(credential);
        builder.AddAzureOpenAI();
        return builder.Build();
    }
}
