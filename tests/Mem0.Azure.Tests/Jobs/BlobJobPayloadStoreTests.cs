using Mem0.Azure.Jobs;
using Mem0.Azure.Tests.Webhooks;
using Mem0.Core.Common;

namespace Mem0.Azure.Tests.Jobs;

/// <summary>The Blob payload store against the real Azurite that ./test.sh starts on 127.0.0.1.</summary>
public sealed class BlobJobPayloadStoreTests : IAsyncLifetime
{
    private BlobJobPayloadStore? _store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.Container.DeleteIfExistsAsync();
        }
    }

    [AzuriteFact]
    public async Task WriteReadDeletePrefix_RoundTripsAndDeletesOnlyThePrefix()
    {
        _store = new BlobJobPayloadStore(Mem0.Azure.Jobs.DependencyInjection.CreateContainer(new JobStorageOptions
        {
            ConnectionString = AzuriteFactAttribute.ConnectionString,
            ContainerName = "imports-" + Guid.NewGuid().ToString("N")[..20],
        }));

        await _store.WriteAsync("p1/e1/000000.json", "[1]"u8.ToArray());
        await _store.WriteAsync("p1/e1/000001.json", "[2]"u8.ToArray());
        await _store.WriteAsync("p1/e2/add.json", "{}"u8.ToArray());
        var read = await _store.ReadAsync("p1/e1/000001.json");
        await _store.DeletePrefixAsync("p1/e1/");

        Assert.Equal("[2]"u8.ToArray(), read);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => _store.ReadAsync("p1/e1/000000.json"));
        Assert.Equal(ResourceKind.JobPayload, missing.Resource);
        Assert.Equal("{}"u8.ToArray(), await _store.ReadAsync("p1/e2/add.json"));
    }
}
