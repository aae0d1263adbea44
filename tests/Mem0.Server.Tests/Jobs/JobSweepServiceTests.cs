using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Mem0.Local.Jobs;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mem0.Server.Tests.Jobs;

/// <summary>The local server's sweep: an event whose job is gone ends FAILED while the server runs, not only at a restart.</summary>
public sealed class JobSweepServiceTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-sweep-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RunOnce_RunningEventWithNoOrchestration_EndsFailed_AndAnEndedEventIsKept()
    {
        await using var app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={_dataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            "--Mem0:Server:ApiKey=m0-sweep-test-key-0123456789",
            "--Mem0:Jobs:StaleAfter=00:00:30",
            "--Logging:LogLevel:Default=Warning",
        ],
        builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator()));
        await app.StartAsync();
        var projectId = (await app.Services.GetRequiredService<ServerState>().Bootstrap).Project.ProjectId;
        var events = app.Services.GetRequiredService<IEventStore>();
        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-5);
        await events.CreateAsync(Event(projectId, "orphan", EventStatus.Running, longAgo));
        await events.CreateAsync(Event(projectId, "finished", EventStatus.Succeeded, longAgo));
        var sweep = app.Services.GetServices<IHostedService>().OfType<JobSweepService>().Single();

        await sweep.RunOnceAsync(CancellationToken.None);

        var orphan = (await events.GetAsync(projectId, "orphan"))!;
        Assert.Equal(EventStatus.Failed, orphan.Status);
        Assert.Equal(JobSweeper.OrphanMessage(null), orphan.Error);
        Assert.Equal(EventStatus.Succeeded, (await events.GetAsync(projectId, "finished"))!.Status);
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

    private static MemoryEvent Event(string projectId, string id, EventStatus status, DateTimeOffset at) => new()
    {
        Id = id,
        ProjectId = projectId,
        EventType = "IMPORT",
        Status = status,
        CreatedAt = at,
        UpdatedAt = at,
        StartedAt = at,
    };
}
