using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Mem0.Core.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// Stages job payloads in Blob storage (<c>Mem0:Jobs:BlobServiceUri</c> with managed identity, or
    /// <c>Mem0:Jobs:ConnectionString</c> for Azurite), container <c>imports</c>. Replaces any payload store registered before.
    /// </summary>
    public static IServiceCollection AddBlobJobPayloads(this IServiceCollection services)
    {
        services.AddOptions<JobStorageOptions>().BindConfiguration(JobStorageOptions.SectionName)
            .Validate(o => o.BlobServiceUri is not null || !string.IsNullOrWhiteSpace(o.ConnectionString),
                $"Set {JobStorageOptions.SectionName}:BlobServiceUri (or ConnectionString locally) for job payloads.")
            .ValidateOnStart();
        services.Replace(ServiceDescriptor.Singleton<IJobPayloadStore>(sp =>
            new BlobJobPayloadStore(CreateContainer(sp.GetRequiredService<IOptions<JobStorageOptions>>().Value, sp.GetService<TokenCredential>()))));
        return services;
    }

    public static BlobContainerClient CreateContainer(JobStorageOptions options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var local = new BlobServiceClient(options.ConnectionString).GetBlobContainerClient(options.ContainerName);
            local.CreateIfNotExists();
            return local;
        }

        // In Azure the container is created by the Bicep; the identity has Storage Blob Data Contributor on it.
        var service = new BlobServiceClient(
            options.BlobServiceUri ?? throw new InvalidOperationException($"Set {JobStorageOptions.SectionName}:BlobServiceUri."),
            credential ?? new DefaultAzureCredential());
        return service.GetBlobContainerClient(options.ContainerName);
    }
}
