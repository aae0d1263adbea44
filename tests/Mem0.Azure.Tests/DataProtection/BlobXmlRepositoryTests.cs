using System.Xml.Linq;
using Azure.Storage.Blobs;
using Mem0.Azure.DataProtection;
using Mem0.Azure.Tests.Webhooks;
using Mem0.Core.Webhooks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Tests.DataProtection;

/// <summary>The Blob key ring against the real Azurite that ./test.sh starts on 127.0.0.1.</summary>
public sealed class BlobXmlRepositoryTests : IAsyncLifetime
{
    private readonly BlobDataProtectionOptions _options = new()
    {
        ConnectionString = AzuriteFactAttribute.ConnectionString,
        ContainerName = "dp-" + Guid.NewGuid().ToString("N")[..20],
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (AzuriteFactAttribute.ConnectionString is { Length: > 0 } connection)
        {
            await new BlobServiceClient(connection).GetBlobContainerClient(_options.ContainerName).DeleteIfExistsAsync();
        }
    }

    private static XElement Key(string id) => new("key", new XAttribute("id", id), new XElement("payload", "secret-" + id));

    [AzuriteFact]
    public void GetAllElements_NoBlobYet_IsEmpty()
    {
        Assert.Empty(Mem0.Azure.DataProtection.DependencyInjection.CreateRepository(_options).GetAllElements());
    }

    [AzuriteFact]
    public void StoreElement_TwoInstancesInterleaved_BothKeysAreKept()
    {
        var first = Mem0.Azure.DataProtection.DependencyInjection.CreateRepository(_options);
        var second = Mem0.Azure.DataProtection.DependencyInjection.CreateRepository(_options);

        first.StoreElement(Key("a"), "a");
        second.StoreElement(Key("b"), "b");
        first.StoreElement(Key("c"), "c");

        var stored = Mem0.Azure.DataProtection.DependencyInjection.CreateRepository(_options).GetAllElements();
        Assert.Equal(["a", "b", "c"], stored.Select(e => e.Attribute("id")!.Value));
        Assert.Equal("secret-b", stored.ElementAt(1).Element("payload")!.Value);
    }

    [AzuriteFact]
    public void StoreElement_ConcurrentWriters_LoseNoKey()
    {
        Parallel.For(0, 6, i => Mem0.Azure.DataProtection.DependencyInjection.CreateRepository(_options).StoreElement(Key("k" + i), "k" + i));

        var ids = Mem0.Azure.DataProtection.DependencyInjection.CreateRepository(_options).GetAllElements().Select(e => e.Attribute("id")!.Value);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => "k" + i).Order(), ids.Order());
    }

    /// <summary>Two app instances (two service providers) share the ring: one encrypts a webhook secret, the other decrypts it.</summary>
    [AzuriteFact]
    public void WebhookSecret_ProtectedByOneInstance_UnprotectsOnAnother()
    {
        using var instanceA = BuildInstance();
        using var instanceB = BuildInstance();

        var protectedSecret = instanceA.GetRequiredService<WebhookSecretProtector>().Protect("whsec_abc");

        Assert.Equal("whsec_abc", instanceB.GetRequiredService<WebhookSecretProtector>().Unprotect(protectedSecret));
        Assert.NotEmpty(Mem0.Azure.DataProtection.DependencyInjection.CreateRepository(_options).GetAllElements());
    }

    private ServiceProvider BuildInstance()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName(Core.Webhooks.DependencyInjection.DataProtectionApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(
            new ConfigureOptions<KeyManagementOptions>(keys => keys.XmlRepository = Mem0.Azure.DataProtection.DependencyInjection.CreateRepository(_options)));
        services.AddSingleton<WebhookSecretProtector>();
        return services.BuildServiceProvider();
    }
}
