using System.Net.Http.Json;
using Mem0.Local.Jobs;
using Mem0.Testing.Jobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Jobs;

/// <summary>On the Azure Storage backend the server's sweep purges finished instances (nothing else does: jobs start at once, not through the lane).</summary>
[Collection(AzuriteServerCollection.Name)]
public sealed class DurableSweepTests(AzuriteServerFixture server) : IAzuriteBackend
{
    [JobFact]
    public async Task RunOnce_FinishedJob_ItsInstanceIsPurged()
    {
        using var client = server.Client();
        var queued = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = new[] { new { role = "user", content = "I collect vintage maps." } },
            user_id = "sweep-" + Guid.NewGuid().ToString("N"),
        }));
        var eventId = queued.GetProperty("event_id").GetString()!;
        await server.WaitForJobAsync(eventId);
        var durable = server.Services.GetRequiredService<DurableTaskClient>();
        Assert.True(server.Services.GetRequiredService<LocalJobBackend>().Durable);
        var sweep = server.Services.GetServices<IHostedService>().OfType<JobSweepService>().Single();

        await sweep.RunOnceAsync(CancellationToken.None);

        Assert.Null(await durable.GetInstanceAsync(eventId));
    }
}
