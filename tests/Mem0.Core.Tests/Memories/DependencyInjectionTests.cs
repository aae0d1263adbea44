using Mem0.Core.Memories;
using Mem0.Testing.AI;
using Mem0.Testing.Stores;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Tests.Memories;

public sealed class DependencyInjectionTests
{
    private static ServiceProvider Build(Action<IServiceCollection>? extra = null, Dictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build());
        services.AddLogging();
        services.AddSingleton<IMemoryStore, InMemoryMemoryStore>();
        services.AddSingleton<Mem0.Core.Projects.IProjectStore>(new InMemoryProjectStore());
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator());
        extra?.Invoke(services);
        services.AddMemoryEngine();
        return services.BuildServiceProvider(validateScopes: true);
    }

    [Fact]
    public void AddMemoryEngine_NoChatClient_ResolvesHeuristicEngine()
    {
        using var provider = Build();

        Assert.Equal("heuristic", provider.GetRequiredService<MemoryService>().Extractor);
        Assert.IsType<InProcessScopeLock>(provider.GetRequiredService<IScopeLock>());
    }

    [Fact]
    public void AddMemoryEngine_ChatClientRegistered_ResolvesLlmEngine()
    {
        using var provider = Build(s => s.AddSingleton<IChatClient>(new ScriptedChatClient()));

        Assert.Equal("llm", provider.GetRequiredService<MemoryService>().Extractor);
    }

    [Fact]
    public void AddMemoryEngine_Settings_BindEngineSection()
    {
        using var provider = Build(settings: new() { ["Mem0:Engine:RetrievalTopK"] = "25", ["Mem0:Engine:DuplicateSimilarity"] = "0.8" });

        var options = provider.GetRequiredService<IOptions<MemoryEngineOptions>>().Value;
        Assert.Equal((25, 0.8), (options.RetrievalTopK, options.DuplicateSimilarity));
    }

    [Fact]
    public void AddMemoryEngine_OutOfRangeSetting_FailsValidation()
    {
        using var provider = Build(settings: new() { ["Mem0:Engine:DuplicateSimilarity"] = "3" });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MemoryEngineOptions>>().Value);
    }
}
