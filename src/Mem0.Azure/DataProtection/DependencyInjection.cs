using Azure.Core;
using Azure.Storage.Blobs;
using Mem0.Azure.Identity;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.DataProtection;

public static class DependencyInjection
{
    /// <summary>Name of the <see cref="BlobServiceClient"/> holding the key ring in the Azure client factory.</summary>
    public const string BlobClientName = "Mem0.DataProtection";

    /// <summary>
    /// Keeps the Data Protection key ring (it encrypts webhook signing secrets) in Blob storage, so every instance and
    /// every restart decrypts the same secrets: <c>Mem0:DataProtection:BlobServiceUri</c> with the app's credential, or
    /// <c>Mem0:DataProtection:ConnectionString</c> for Azurite.
    /// </summary>
    public static IHostApplicationBuilder AddBlobDataProtection(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<BlobDataProtectionOptions>()
            .BindConfiguration(BlobDataProtectionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddMem0AzureCredential();
        builder.Services.AddAzureClients(clients => clients
            .AddClient<BlobServiceClient, BlobClientOptions>((clientOptions, credential, sp) =>
                CreateService(sp.GetRequiredService<IOptions<BlobDataProtectionOptions>>().Value, credential, clientOptions))
            .WithName(BlobClientName));
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IAzureClientFactory<BlobServiceClient>, IOptions<BlobDataProtectionOptions>>((keys, clients, blob) =>
                keys.XmlRepository = CreateRepository(clients.CreateClient(BlobClientName), blob.Value));
        return builder;
    }

    /// <summary>Builds the repository outside DI (tests, tools); with a connection string (emulator) the container is created when missing.</summary>
    public static BlobXmlRepository CreateRepository(BlobDataProtectionOptions options, TokenCredential? credential = null) =>
        CreateRepository(CreateService(options, credential, new BlobClientOptions()), options);

    private static BlobXmlRepository CreateRepository(BlobServiceClient service, BlobDataProtectionOptions options)
    {
        var container = service.GetBlobContainerClient(options.ContainerName);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            // Azurite: create it. In Azure the container is created by the Bicep; the app's identity has data-plane rights only.
            container.CreateIfNotExists();
        }

        return new BlobXmlRepository(container.GetBlobClient(options.BlobName));
    }

    private static BlobServiceClient CreateService(BlobDataProtectionOptions options, TokenCredential? credential, BlobClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return new BlobServiceClient(options.ConnectionString, clientOptions);
        }

        var uri = options.BlobServiceUri ?? throw new InvalidOperationException($"Set {BlobDataProtectionOptions.SectionName}:BlobServiceUri.");
        return new BlobServiceClient(uri, credential ?? throw new ArgumentNullException(nameof(credential), "A Blob endpoint needs the app's TokenCredential."), clientOptions);
    }
}
