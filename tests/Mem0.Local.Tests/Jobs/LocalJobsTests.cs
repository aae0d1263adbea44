using Mem0.Core.Common;
using Mem0.Core.Events;
using Mem0.Local.Jobs;
using Mem0.Local.Storage;
using Mem0.Testing.Projects;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mem0.Local.Tests.Jobs;

public sealed class LocalJobsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mem0-local-jobs-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task InterruptedJobRecovery_PendingAndRunningFromBefore_EndFailedWithRestartMessage()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var events = new InMemoryEventStore();
        var projects = new FakeProjectStore(FakeProjectStore.NewProject("p1"));
        await events.CreateAsync(Event("pending", EventStatus.Pending, time));
        await events.CreateAsync(Event("running", EventStatus.Running, time));
        await events.CreateAsync(Event("done", EventStatus.Succeeded, time));
        time.Advance(TimeSpan.FromMinutes(5));
        var recovery = new InterruptedJobRecovery(projects, events, time, NullLogger<InterruptedJobRecovery>.Instance);

        await recovery.StartAsync(CancellationToken.None);

        foreach (var id in new[] { "pending", "running" })
        {
            var recovered = (await events.GetAsync("p1", id))!;
            Assert.Equal(EventStatus.Failed, recovered.Status);
            Assert.Equal(InterruptedJobRecovery.Message, recovered.Error);
            Assert.Equal(time.GetUtcNow(), recovered.CompletedAt);
        }

        Assert.Equal(EventStatus.Succeeded, (await events.GetAsync("p1", "done"))!.Status);
    }

    [Fact]
    public async Task FileJobPayloadStore_WriteReadDeletePrefix_RoundTripsAndRemovesFiles()
    {
        var store = new FileJobPayloadStore(Options.Create(new SqliteOptions { DataDirectory = _directory }));

        await store.WriteAsync("p1/e1/000000.json", "[1]"u8.ToArray());
        await store.WriteAsync("p1/e1/000001.json", "[2]"u8.ToArray());
        await store.WriteAsync("p1/e2/add.json", "{}"u8.ToArray());
        var read = await store.ReadAsync("p1/e1/000001.json");
        await store.DeletePrefixAsync("p1/e1/");

        Assert.Equal("[2]"u8.ToArray(), read);
        await Assert.ThrowsAnyAsync<NotFoundException>(() => store.ReadAsync("p1/e1/000000.json"));
        Assert.False(Directory.Exists(Path.Combine(_directory, "jobs", "p1", "e1")));
        Assert.Equal("{}"u8.ToArray(), await store.ReadAsync("p1/e2/add.json"));
    }

    [Fact]
    public async Task FileJobPayloadStore_KeyEscapingTheDirectory_IsRejected()
    {
        var store = new FileJobPayloadStore(Options.Create(new SqliteOptions { DataDirectory = _directory }));

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync("../outside.json", "x"u8.ToArray()));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static MemoryEvent Event(string id, EventStatus status, TimeProvider time) => new()
    {
        Id = id,
        ProjectId = "p1",
        EventType = "ADD",
        Status = status,
        CreatedAt = time.GetUtcNow(),
        UpdatedAt = time.GetUtcNow(),
    };
}
