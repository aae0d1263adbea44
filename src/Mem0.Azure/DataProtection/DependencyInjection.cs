using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.DataProtection;

public static class DependencyInjection
{
    /// <summary>
    /// Keeps the Data Protection key ring (it encrypts webhook signing secrets) in Blob storage, so every instance and
    /// every restart decrypts the same secrets: <c>Mem0:DataProtection:BlobServiceUri</c> with managed identity, or
    /// <c>Mem0:DataProtection:ConnectionString</c> for Azurite.
    /// </summary>
    public static IHostApplicationBuilder AddBlobDataProtection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BlobDataProtectionOptions>()
            .BindConfiguration(BlobDataProtectionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<BlobDataProtectionOptions>>((keys, blob) => keys.XmlRepository = CreateRepository(blob.Value));
        return builder;
    }

    /// <summary>Builds the repository; with a connection string (emulator) the container is created when missing.</summary>
    public static BlobXmlRepository CreateRepository(BlobDataProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        BlobContainerClient container;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            container = new BlobServiceClient(options.ConnectionString).GetBlobContainerClient(options.ContainerName);
            container.CreateIfNotExists();
        }
        else
        {
            // In Azure the container is created by the Bicep; the app's identity has data-plane rights only.
            var uri = options.BlobServiceUri ?? throw new InvalidOperationException($"Set {BlobDataProtectionOptions.SectionName}:BlobServiceUri.");
            container = new BlobServiceClient(uri, new DefaultAzureCredential()).GetBlobContainerClient(options.ContainerName);
        }

        return new BlobXmlRepository(container.GetBlobClient(options.BlobName));
    }
}
