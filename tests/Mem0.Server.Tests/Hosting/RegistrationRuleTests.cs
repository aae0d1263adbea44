using Mem0.Core.Events;
using Mem0.Server.Hosting;
using Mem0.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mem0.Server.Tests.Hosting;

/// <summary>The local server names each adapter once, builds a validated container, and ships no test doubles.</summary>
public sealed class RegistrationRuleTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-rule-tests-" + Guid.NewGuid().ToString("N"));

    private string[] Args(params string[] more) =>
    [
        $"--Mem0:Server:DataDirectory={_dataDirectory}",
        "--Logging:LogLevel:Default=Warning",
        "--environment=Production",
        .. more,
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Build_EveryPort_HasExactlyOneAdapter(bool azureStorage)
    {
        IServiceCollection? services = null;

        // Azure Storage is only named, never contacted: the app is built, not started.
        await using var app = ServerApp.Build(
            azureStorage ? Args("--AzureWebJobsStorage=UseDevelopmentStorage=true") : Args(),
            builder => services = builder.Services);

        Assert.Empty(RegistrationRule.PortsNotRegisteredOnce(services!));
    }

    [Fact]
    public void Build_WithoutAnEventStore_FailsNamingIt()
    {
        // Production: the framework's default validates only in Development, the server in every environment.
        var error = Assert.ThrowsAny<Exception>(() => ServerApp.Build(Args(), builder => builder.Services.RemoveAll<IEventStore>()));

        Assert.Contains(nameof(IEventStore), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(Mem0.Core.Http.Mem0ApiServices))]
    [InlineData(typeof(Mem0.Local.Storage.SqliteMemoryStore))]
    [InlineData(typeof(ServerApp))]
    public void SourceAssemblies_HoldNoTestDoubles(Type fromAssembly)
    {
        Assert.Empty(RegistrationRule.TestDoubles(fromAssembly.Assembly));
    }

    [Fact]
    public void SourceAssemblies_AzureAdapters_HoldNoTestDoubles()
    {
        Assert.Empty(RegistrationRule.TestDoubles(typeof(Mem0.Azure.Cosmos.CosmosMemoryStore).Assembly));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
