using Mem0.Core.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Mem0.Local.Embeddings;

public static class DependencyInjection
{
    /// <summary>
    /// Registers the in-process embedder (arctic-embed-xs or all-MiniLM-L6-v2), with its options from "Mem0:AI:Local". When
    /// "Mem0:AI:EmbeddingProvider" is Local (the default) it is also the application's
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>; otherwise AddMem0AI registers the provider's.
    /// </summary>
    public static IHostApplicationBuilder AddLocalEmbeddings(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The server's data directory is the natural home of the extracted model; read here, at registration, only.
        var dataDirectory = builder.Configuration["Mem0:Server:DataDirectory"];
        var embeddingModel = builder.Configuration["Mem0:AI:EmbeddingModel"];
        builder.Services.AddOptions<LocalEmbeddingOptions>()
            .BindConfiguration(LocalEmbeddingOptions.SectionName)
            .PostConfigure(options =>
            {
                // Mem0:AI:EmbeddingModel may name the local model too (it names the provider's model for the others).
                if (string.Equals(embeddingModel, AiOptions.LocalEmbeddingModel, StringComparison.OrdinalIgnoreCase))
                {
                    options.Model = LocalEmbeddingModel.MiniLm;
                }
                else if (string.Equals(embeddingModel, AiOptions.LocalRetrievalEmbeddingModel, StringComparison.OrdinalIgnoreCase))
                {
                    options.Model = LocalEmbeddingModel.ArcticXs;
                }

                if (string.IsNullOrWhiteSpace(options.CacheDirectory))
                {
                    options.CacheDirectory = LocalEmbeddingDefaults.CacheDirectory(dataDirectory);
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LocalEmbeddingGenerator>();

        // The same reading of the settings as AddMem0AI, which registers a generator only for the other providers.
        var ai = builder.Configuration.GetSection(AiOptions.SectionName).Get<AiOptions>() ?? new AiOptions();
        if (ai.EmbeddingProvider == EmbeddingProvider.Local)
        {
            builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<LocalEmbeddingGenerator>());
        }

        return builder;
    }
}
