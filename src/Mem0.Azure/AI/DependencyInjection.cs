using Azure.Core;
using Mem0.Azure.Identity;
using Mem0.Core.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Mem0.Azure.AI;

public static class DependencyInjection
{
    /// <summary>
    /// Everything <see cref="Core.AI.DependencyInjection.AddMem0AI"/> registers, plus keyless Azure OpenAI: when
    /// Mem0:AI:Provider or EmbeddingProvider is AzureOpenAI and no ApiKey is set, the chat client and/or embedding
    /// generator authenticate with the app's one <see cref="TokenCredential"/> (see <c>AddMem0AzureCredential</c>).
    /// </summary>
    public static IHostApplicationBuilder AddAzureOpenAI(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMem0AI();
        builder.Services.AddMem0AzureCredential();
        builder.Services.TryAddSingleton<AzureOpenAIClientFactory>();

        // AddMem0AI registers no client for the keyless cases, so each client below is the only one of its kind.
        var ai = builder.Configuration.GetSection(AiOptions.SectionName).Get<AiOptions>() ?? new AiOptions();
        if (ai.UsesKeylessAzureChat)
        {
            builder.Services.AddSingleton<IChatClient>(
                services => services.GetRequiredService<AzureOpenAIClientFactory>().CreateChatClient());
        }

        if (ai.UsesKeylessAzureEmbeddings)
        {
            builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
                services => services.GetRequiredService<AzureOpenAIClientFactory>().CreateEmbeddingGenerator());
        }

        return builder;
    }
}
