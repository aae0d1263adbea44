using Mem0.Core.AI;
using Mem0.Local.Embeddings;
using Mem0.Testing.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Local.Tests.Embeddings;

public sealed class DependencyInjectionTests
{
    [Fact]
    public void AddLocalEmbeddings_DefaultProvider_IsTheEmbeddingGeneratorWithMetadata()
    {
        using var host = Build(new Dictionary<string, string?>());

        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.IsType<LocalEmbeddingGenerator>(generator);
        Assert.Equal(384, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [Fact]
    public void AddLocalEmbeddings_ServerDataDirectory_CachesModelUnderIt()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-data-" + Guid.NewGuid().ToString("N"));
        using var host = Build(new Dictionary<string, string?> { ["Mem0:Server:DataDirectory"] = dataDirectory });

        var options = host.Services.GetRequiredService<IOptions<LocalEmbeddingOptions>>().Value;

        Assert.Equal(Path.Combine(dataDirectory, "models"), options.CacheDirectory);
    }

    [Fact]
    public void AddLocalEmbeddings_RemoteEmbeddingProvider_LeavesTheRemoteGeneratorInPlace()
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["Mem0:AI:EmbeddingProvider"] = "OpenAICompatible",
            ["Mem0:AI:Endpoint"] = "http://127.0.0.1:9/v1/",
            ["Mem0:AI:EmbeddingModel"] = "nomic-embed-text",
        });

        var generator = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        Assert.IsNotType<LocalEmbeddingGenerator>(generator);
    }

    [Fact]
    public async Task StartAsync_BatchSizeAboveLimit_FailsValidation()
    {
        using var host = Build(new Dictionary<string, string?> { ["Mem0:AI:Local:BatchSize"] = "64" });

        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var error = thrown as OptionsValidationException
            ?? Assert.IsType<AggregateException>(thrown).InnerExceptions.OfType<OptionsValidationException>().First();
        Assert.Contains(error.Failures, f => f.Contains(nameof(LocalEmbeddingOptions.BatchSize), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddLocalEmbeddings_WithRemoteChat_ChatGoesOverHttpAndEmbeddingsStayLocal()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var host = Build(new Dictionary<string, string?>
        {
            ["Mem0:AI:Provider"] = "OpenAICompatible",
            ["Mem0:AI:Endpoint"] = new Uri(server.BaseUri, "v1/").ToString(),
            ["Mem0:AI:ChatModel"] = "llama3.2",
        });

        var response = await host.Services.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("{}", response.Text);
        Assert.IsType<LocalEmbeddingGenerator>(host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMem0AI();
        builder.AddLocalEmbeddings();
        return builder.Build();
    }
}
