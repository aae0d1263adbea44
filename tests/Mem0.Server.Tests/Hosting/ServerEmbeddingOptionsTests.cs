using Mem0.Local.Embeddings;
using Mem0.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mem0.Server.Tests.Hosting;

/// <summary>Where the server extracts the MiniLM model. The app is built, never started: nothing is written.</summary>
public sealed class ServerEmbeddingOptionsTests
{
    private static async Task<string?> CacheDirectoryAsync(params string[] args)
    {
        var app = ServerApp.Build(["--Logging:LogLevel:Default=Warning", .. args]);
        await using (app)
        {
            return app.Services.GetRequiredService<IOptions<LocalEmbeddingOptions>>().Value.CacheDirectory;
        }
    }

    [Fact]
    public async Task Build_NoDataDirectoryConfigured_CachesModelUnderTheDefaultDataDirectory()
    {
        var cache = await CacheDirectoryAsync();

        Assert.Equal(Path.Combine(Path.GetFullPath("./.data"), "models"), cache);
    }

    [Fact]
    public async Task Build_DataDirectoryConfigured_CachesModelUnderIt()
    {
        var data = Path.Combine(Path.GetTempPath(), "mem0-never-created-" + Guid.NewGuid().ToString("N"));

        var cache = await CacheDirectoryAsync($"--Mem0:Server:DataDirectory={data}");

        Assert.Equal(Path.Combine(data, "models"), cache);
    }

    [Fact]
    public async Task Build_CacheDirectoryConfigured_WinsOverTheDataDirectory()
    {
        var explicitCache = Path.Combine(Path.GetTempPath(), "mem0-cache-never-created");

        var cache = await CacheDirectoryAsync("--Mem0:Server:DataDirectory=/tmp/somewhere", $"--Mem0:AI:Local:CacheDirectory={explicitCache}");

        Assert.Equal(explicitCache, cache);
    }
}
