using Azure.Core;
using Azure.Identity;
using Mem0.Core.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.AI;

public static class DependencyInjection
{
    /// <summary>
    /// Everything <see cref="Core.AI.DependencyInjection.AddMem0AI"/> registers, plus keyless Azure OpenAI: when
    /// Mem0:AI:Provider or EmbeddingProvider is AzureOpenAI and no ApiKey is set, the chat client and/or embedding
    /// generator authenticate with a <see cref="TokenCredential"/> (DefaultAzureCredential for the user-assigned
    /// identity named by AZURE_CLIENT_ID, unless a TokenCredential is already registered).
    /// </summary>
    public static IHostApplicationBuilder AddAzureOpenAI(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMem0AI();

        // AZURE_CLIENT_ID is the platform's name for the identity; it reaches services only through the options.
        var platformClientId = builder.Configuration["AZURE_CLIENT_ID"];
        builder.Services.PostConfigure<AiOptions>(options =>
        {
            if (string.IsNullOrWhiteSpace(options.ManagedIdentityClientId) && !string.IsNullOrWhiteSpace(platformClientId))
            {
                options.ManagedIdentityClientId = platformClientId;
            }
        });

        builder.Services.TryAddSingleton<TokenCredential>(services =>
        {
            var clientId = services.GetRequiredService<IOptions<AiOptions>>().Value.ManagedIdentityClientId;
            return new DefaultAzureCredential(new DefaultAzureCredentialOptions
            {
                ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
            });
        });
        builder.Services.TryAddSingleton<AzureOpenAIClientFactory>();

        var ai = builder.Configuration.GetSection(AiOptions.SectionName).Get<AiOptions>() ?? new AiOptions();
        if (ai.UsesKeylessAzureChat)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<IChatClient>(
                services => services.GetRequiredService<AzureOpenAIClientFactory>().CreateChatClient()));
        }

        if (ai.UsesKeylessAzureEmbeddings)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<IEmbeddingGenerator<string, Embedding<float>>>(
                services => services.GetRequiredService<AzureOpenAIClientFactory>().CreateEmbeddingGenerator()));
        }

        return builder;
    }
}
