using Azure;
using Azure.Storage.Blobs;
using Mem0.Core.Common;
using Mem0.Core.Jobs;

namespace Mem0.Azure.Jobs;

/// <summary>Job payloads as block blobs in the <c>imports</c> container; a job's prefix is deleted when it ends.</summary>
public sealed class BlobJobPayloadStore(BlobContainerClient container) : IJobPayloadStore
{
    public BlobContainerClient Container { get; } = container;

    public async Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await Container.GetBlobClient(key).UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);

    public async Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await Container.GetBlobClient(key).DownloadContentAsync(cancellationToken);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw new NotFoundException(ResourceKind.JobPayload, $"Job payload '{key}' not found.");
        }
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        await foreach (var blob in Container.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, prefix, cancellationToken))
        {
            await Container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }
}
