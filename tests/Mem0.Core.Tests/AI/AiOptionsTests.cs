using Mem0.Core.AI;
using Microsoft.Extensions.Options;

namespace Mem0.Core.Tests.AI;

public sealed class AiOptionsTests
{
    [Fact]
    public async Task StartAsync_OpenAICompatibleWithoutEndpointAndModel_FailsNamingBothSettings()
    {
        using var host = AiHostFactory.Build(new Dictionary<string, string?> { ["Mem0:AI:Provider"] = "OpenAICompatible" });

        // ValidateOnStart reports every failing options type together, wrapped in an AggregateException.
        var thrown = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var error = thrown as OptionsValidationException
            ?? Assert.IsType<AggregateException>(thrown).InnerExceptions.OfType<OptionsValidationException>().First();

        Assert.Contains(error.Failures, f => f.Contains("Mem0:AI:Endpoint", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Mem0:AI:ChatModel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_DefaultsWithNoSettings_Start()
    {
        using var host = AiHostFactory.Build(new Dictionary<string, string?>());

        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("OpenAI", null, null, "Mem0:AI:ApiKey")]
    [InlineData("AzureOpenAI", null, null, "Mem0:AI:Endpoint")]
    [InlineData("OpenAICompatible", "not a url", "model", "not an absolute http(s) URL")]
    public void Validate_ChatProviderMissingSettings_ReportsTheSetting(string provider, string? endpoint, string? model, string expected)
    {
        var options = new AiOptions { Provider = Enum.Parse<AiProvider>(provider), Endpoint = endpoint, ChatModel = model ?? "m" };

        Assert.Contains(Errors(options), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LocalEmbeddingsWithOtherDimensions_ReportsMismatch()
    {
        var options = new AiOptions { EmbeddingProvider = EmbeddingProvider.Local, EmbeddingDimensions = 1536 };

        Assert.Contains(Errors(options), e => e.Contains("384", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RemoteEmbeddingsWithoutModel_ReportsEmbeddingModel()
    {
        var options = new AiOptions { EmbeddingProvider = EmbeddingProvider.OpenAI, ApiKey = "k" };

        Assert.Contains(Errors(options), e => e.Contains("Mem0:AI:EmbeddingModel", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_KeylessAzure_IsValid()
    {
        var options = new AiOptions
        {
            Provider = AiProvider.AzureOpenAI,
            Endpoint = "https://res.openai.azure.com/",
            ChatModel = "chat",
            EmbeddingProvider = EmbeddingProvider.AzureOpenAI,
            EmbeddingModel = "embed",
            EmbeddingDimensions = 1536,
        };

        Assert.Empty(Errors(options));
        Assert.True(options.UsesKeylessAzureChat);
        Assert.True(options.UsesKeylessAzureEmbeddings);
        Assert.Equal(1536, options.EffectiveEmbeddingDimensions);
    }

    private static List<string> Errors(AiOptions options) =>
        options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Select(r => r.ErrorMessage ?? string.Empty).ToList();
}
