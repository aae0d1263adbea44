using Mem0.Azure.Jobs;
using Mem0.Local.Jobs;

namespace Mem0.Server.Hosting;

/// <summary>Chooses the local server's job backend: Azure Storage (as in Azure) when <c>AzureWebJobsStorage</c> is set, in memory otherwise.</summary>
public static class ServerJobs
{
    /// <summary>The setting the Functions app and <c>local.settings.json</c> use for the same storage.</summary>
    public const string StorageSetting = "AzureWebJobsStorage";

    /// <summary>
    /// With <c>AzureWebJobsStorage</c> (e.g. <c>UseDevelopmentStorage=true</c> for Azurite): the Durable Task Azure Storage
    /// provider and job payloads in Blob storage, so jobs resume after a crash. Without it: the embedded backend, which
    /// needs no other process and fails the jobs a restart interrupted.
    /// </summary>
    public static WebApplicationBuilder AddServerJobs(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var storage = builder.Configuration[StorageSetting];
        if (string.IsNullOrWhiteSpace(storage))
        {
            builder.Services.AddLocalDurableJobs();
            return builder;
        }

        builder.Services.AddStorageDurableJobs(storage);
        builder.Services.AddBlobJobPayloads();
        builder.Services.AddOptions<JobStorageOptions>().PostConfigure(options =>
        {
            if (options.BlobServiceUri is null && string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                options.ConnectionString = storage;
            }
        });
        return builder;
    }
}
