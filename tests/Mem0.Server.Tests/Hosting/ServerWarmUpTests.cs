using Mem0.Core.Events;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mem0.Server.Tests.Hosting;

/// <summary>The start-up warm-up: it runs the embedder before any request, in the background, and writes nothing.</summary>
public sealed class ServerWarmUpTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-warmup-tests-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task Start_WarmUpOption_EmbedsBeforeAnyRequestAndWritesNothing(bool warmUp, int expectedEmbedCalls)
    {
        var embedder = new HashingEmbeddingGenerator();
        await using var app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={_dataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            $"--Mem0:Server:WarmUp={warmUp}",
            "--Logging:LogLevel:Default=Warning",
        ],
        builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(embedder));
        await app.StartAsync();
        var warmUpService = app.Services.GetServices<IHostedService>().OfType<ServerWarmUp>().Single();

        await warmUpService.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(expectedEmbedCalls, embedder.CallCount);
        var projectId = (await app.Services.GetRequiredService<ServerState>().Bootstrap).Project.ProjectId;
        var store = app.Services.GetRequiredService<IMemoryStore>();
        Assert.Equal(0, await store.CountAsync(projectId, FilterNode.All, includeExpired: true, DateOnly.MinValue));
        Assert.Empty((await app.Services.GetRequiredService<IEventStore>().ListAsync(projectId, new EventListQuery())).Items);
        await app.StopAsync();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}
