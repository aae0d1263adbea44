using Azure.Core;
using Azure.Storage.Blobs;
using Mem0.Azure.Identity;
using Mem0.Core.Jobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Jobs;

public static class DependencyInjection
{
    /// <summary>Name of the <see cref="BlobServiceClient"/> holding job payloads in the Azure client factory.</summary>
    public const string BlobClientName = "Mem0.Jobs";

    /// <summary>
    /// Stages job payloads in Blob storage (<c>Mem0:Jobs:BlobServiceUri</c> with the app's credential, or
    /// <c>Mem0:Jobs:ConnectionString</c> for Azurite), container <c>imports</c>.
    /// </summary>
    public static IServiceCollection AddBlobJobPayloads(this IServiceCollection services)
    {
        services.AddOptions<JobStorageOptions>().BindConfiguration(JobStorageOptions.SectionName)
            .Validate(o => o.BlobServiceUri is not null || !string.IsNullOrWhiteSpace(o.ConnectionString),
                $"Set {JobStorageOptions.SectionName}:BlobServiceUri (or ConnectionString locally) for job payloads.")
            .ValidateOnStart();
        services.AddMem0AzureCredential();
        services.AddAzureClients(clients => clients
            .AddClient<BlobServiceClient, BlobClientOptions>((clientOptions, credential, sp) =>
                CreateService(sp.GetRequiredService<IOptions<JobStorageOptions>>().Value, credential, clientOptions))
            .WithName(BlobClientName));
        services.AddSingleton<IJobPayloadStore>(sp => new BlobJobPayloadStore(GetContainer(
            sp.GetRequiredService<IAzureClientFactory<BlobServiceClient>>().CreateClient(BlobClientName),
            sp.GetRequiredService<IOptions<JobStorageOptions>>().Value)));
        return services;
    }

    /// <summary>The payload container on <paramref name="options"/> (tests and tools; the app goes through the client factory).</summary>
    public static BlobContainerClient CreateContainer(JobStorageOptions options, TokenCredential? credential = null) =>
        GetContainer(CreateService(options, credential, new BlobClientOptions()), options);

    private static BlobServiceClient CreateService(JobStorageOptions options, TokenCredential? credential, BlobClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.ConnectionString, clientOptions)
            : new BlobServiceClient(
                options.BlobServiceUri ?? throw new InvalidOperationException($"Set {JobStorageOptions.SectionName}:BlobServiceUri."),
                credential ?? throw new ArgumentNullException(nameof(credential), "A Blob endpoint needs the app's TokenCredential."),
                clientOptions);
    }

    private static BlobContainerClient GetContainer(BlobServiceClient service, JobStorageOptions options)
    {
        var container = service.GetBlobContainerClient(options.ContainerName);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            // Azurite: create it. In Azure the container is created by the Bicep; the identity has data-plane rights only.
            container.CreateIfNotExists();
        }

        return container;
    }
}
