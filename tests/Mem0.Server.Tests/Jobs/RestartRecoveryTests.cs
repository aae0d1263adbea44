using Mem0.Core.Events;
using Mem0.Local.Jobs;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Server.Tests.Jobs;

/// <summary>A job left unfinished by one server process ends FAILED when the next one starts on the same data directory.</summary>
public sealed class RestartRecoveryTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-restart-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Start_EventLeftRunningByPreviousProcess_EndsFailedWithRestartMessage()
    {
        string projectId;
        await using (var first = await StartAsync())
        {
            projectId = (await first.Services.GetRequiredService<ServerState>().Bootstrap).Project.ProjectId;
            var now = DateTimeOffset.UtcNow;
            await first.Services.GetRequiredService<IEventStore>().CreateAsync(new MemoryEvent
            {
                Id = "interrupted",
                ProjectId = projectId,
                EventType = "IMPORT",
                Status = EventStatus.Running,
                CreatedAt = now,
                UpdatedAt = now,
                StartedAt = now,
            });
            await first.StopAsync();
        }

        await using var second = await StartAsync();
        var recovered = await second.Services.GetRequiredService<IEventStore>().GetAsync(projectId, "interrupted");

        Assert.Equal(EventStatus.Failed, recovered!.Status);
        Assert.Equal(InterruptedJobRecovery.Message, recovered.Error);
        Assert.NotNull(recovered.CompletedAt);
        await second.StopAsync();
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

    private async Task<WebApplication> StartAsync()
    {
        var app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={_dataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            "--Mem0:Server:ApiKey=m0-restart-test-key-0123456789",
            "--Logging:LogLevel:Default=Warning",
        ],
        builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator()));
        await app.StartAsync();
        return app;
    }
}
