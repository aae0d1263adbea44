using System.Text;
using System.Text.Json;
using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Testing.Jobs;
using Microsoft.DurableTask.Client;

namespace Mem0.Core.Tests.Jobs;

/// <summary>The orchestrations end to end, on each Durable backend (one derived class per backend).</summary>
public abstract class JobOrchestrationsTests
{
    /// <summary>The backend this class runs the suite on.</summary>
    protected abstract JobBackend Backend { get; }

    private static readonly MemoryScope Alice = new("alice");

    [JobFact]
    public async Task AddMemoriesJob_StagedConversation_SucceedsWithResultsAndDeletesPayload()
    {
        await using var jobs = await StartAsync();
        var memoryEvent = await jobs.CreateEventAsync("ADD");
        var input = await StageAddAsync(jobs, memoryEvent, "I live in Lisbon.");

        var done = await jobs.RunAsync(JobNames.AddMemoriesJob, input, memoryEvent.Id);

        Assert.Equal(EventStatus.Succeeded, done.Status);
        Assert.NotNull(done.StartedAt);
        Assert.NotNull(done.CompletedAt);
        Assert.Equal("ADD", done.Results!.Value[0].GetProperty("event").GetString());
        Assert.Equal(1, await jobs.CountAsync(Alice));
        Assert.Empty(jobs.Payloads.Keys);
    }

    [JobFact]
    public async Task AddMemoriesJob_StoreThrottlesTwice_RetriesThenSucceeds()
    {
        await using var jobs = await StartAsync();
        var memoryEvent = await jobs.CreateEventAsync("ADD");
        var input = await StageAddAsync(jobs, memoryEvent, "I play the cello.");
        jobs.Store.ThrottleNext(2);

        var done = await jobs.RunAsync(JobNames.AddMemoriesJob, input, memoryEvent.Id);

        Assert.Equal(EventStatus.Succeeded, done.Status);
        Assert.Equal(3, jobs.Store.ApplyCalls);
        Assert.Equal(1, await jobs.CountAsync(Alice));
    }

    [JobFact]
    public async Task AddMemoriesJob_ThrottledBeyondMaxAttempts_EndsFailedWithReason()
    {
        await using var jobs = await StartAsync();
        var memoryEvent = await jobs.CreateEventAsync("ADD");
        var input = await StageAddAsync(jobs, memoryEvent, "I play the cello.");
        jobs.Store.ThrottleNext(10);

        var done = await jobs.RunAsync(JobNames.AddMemoriesJob, input, memoryEvent.Id);

        Assert.Equal(EventStatus.Failed, done.Status);
        Assert.Equal("The store is throttling (429).", done.Error);
        Assert.Equal(JobHarness.FastRetries.MaxAttempts, jobs.Store.ApplyCalls);
        Assert.NotNull(done.CompletedAt);
        Assert.Empty(jobs.Payloads.Keys);
    }

    [JobFact]
    public async Task AddMemoriesJob_NonTransientFailure_FailsWithoutRetry()
    {
        await using var jobs = await StartAsync();
        var memoryEvent = await jobs.CreateEventAsync("ADD");
        var input = await StageAddAsync(jobs, memoryEvent, "I play the cello.");
        jobs.Store.PoisonText = "I play the cello.";

        var done = await jobs.RunAsync(JobNames.AddMemoriesJob, input, memoryEvent.Id);

        Assert.Equal(EventStatus.Failed, done.Status);
        Assert.Equal("The store rejected a memory.", done.Error);
        Assert.Equal(1, jobs.Store.ApplyCalls);
    }

    [JobFact]
    public async Task AddMemoriesJob_PayloadMissing_EndsFailedNotRunning()
    {
        await using var jobs = await StartAsync();
        var memoryEvent = await jobs.CreateEventAsync("ADD");
        var input = new AddJobInput(jobs.ProjectId, memoryEvent.Id, $"{jobs.ProjectId}/{memoryEvent.Id}/add.json", Alice.Key, false, JobHarness.FastRetries);

        var done = await jobs.RunAsync(JobNames.AddMemoriesJob, input, memoryEvent.Id);

        Assert.Equal(EventStatus.Failed, done.Status);
        Assert.Contains("not found", done.Error, StringComparison.Ordinal);
    }

    [JobFact]
    public async Task ImportMemoriesJob_AllValid_ImportsEverythingWithProgress()
    {
        await using var jobs = await StartAsync();
        var memoryEvent = await jobs.CreateEventAsync("IMPORT");
        var input = await StageImportAsync(jobs, memoryEvent, Items(25));

        var done = await jobs.RunAsync(JobNames.ImportMemoriesJob, input, memoryEvent.Id);

        Assert.Equal(EventStatus.Succeeded, done.Status);
        Assert.Null(done.Error);
        Assert.Equal(new EventProgress(25, 25, 0, []).Total, done.Progress!.Total);
        Assert.Equal(25, done.Progress.Processed);
        Assert.Equal(0, done.Progress.Failed);
        Assert.Equal(25, await jobs.CountAsync(Alice));
        Assert.Empty(jobs.Payloads.Keys);
    }

    [JobFact]
    public async Task ImportMemoriesJob_OneBatchFails_OtherBatchesImportAndFailuresAreListed()
    {
        await using var jobs = await StartAsync();
        var memoryEvent = await jobs.CreateEventAsync("IMPORT");
        var input = await StageImportAsync(jobs, memoryEvent, Items(25));
        jobs.Store.PoisonText = "fact 12";

        var done = await jobs.RunAsync(JobNames.ImportMemoriesJob, input, memoryEvent.Id);

        // Chunks hold 10 items: the chunk with items 10..19 fails as a whole, the other 15 items are stored.
        Assert.Equal(EventStatus.Succeeded, done.Status);
        Assert.Equal(25, done.Progress!.Processed);
        Assert.Equal(10, done.Progress.Failed);
        Assert.Equal(Enumerable.Range(10, 10), done.Progress.Failures.Select(f => f.Index));
        Assert.All(done.Progress.Failures, f => Assert.Equal("The store rejected a memory.", f.Reason));
        Assert.Equal("10 of 25 items failed; see progress.failures.", done.Error);
        Assert.Equal(15, await jobs.CountAsync(Alice));
    }

    [JobFact]
    public async Task ImportMemoriesJob_RunTwice_DoesNotDuplicate()
    {
        await using var jobs = await StartAsync();
        var first = await jobs.CreateEventAsync("IMPORT");
        await jobs.RunAsync(JobNames.ImportMemoriesJob, await StageImportAsync(jobs, first, Items(12)), first.Id);
        var second = await jobs.CreateEventAsync("IMPORT");

        var done = await jobs.RunAsync(JobNames.ImportMemoriesJob, await StageImportAsync(jobs, second, Items(12)), second.Id);

        Assert.Equal(EventStatus.Succeeded, done.Status);
        Assert.Equal(12, await jobs.CountAsync(Alice));
    }

    [JobFact]
    public async Task ImportMemoriesJob_EveryItemInvalid_EndsFailed()
    {
        await using var jobs = await StartAsync();
        var memoryEvent = await jobs.CreateEventAsync("IMPORT");
        var input = await StageImportAsync(jobs, memoryEvent, """[{"memory": "no owner"}, {"user_id": "alice"}]""");

        var done = await jobs.RunAsync(JobNames.ImportMemoriesJob, input, memoryEvent.Id);

        Assert.Equal(EventStatus.Failed, done.Status);
        Assert.Equal(2, done.Progress!.Failed);
    }

    [JobFact]
    public async Task DeleteMemoriesJob_MoreThanOneGeneration_DeletesAllWithHistory()
    {
        await using var jobs = await StartAsync(new MemoryEngineOptions { DeleteBatchSize = 2 });
        var seed = await jobs.Engine.Service.ImportAsync(
            jobs.ProjectId, [.. Enumerable.Range(0, 120).Select(i => new ImportMemoryItem(i, null, $"fact {i}", Alice, null))]);
        var kept = await jobs.Engine.Service.ImportAsync(jobs.ProjectId, [new ImportMemoryItem(0, null, "bob's fact", new MemoryScope("bob"), null)]);
        var memoryEvent = await jobs.CreateEventAsync("DELETE");

        // Batches of 2 make 60 batches: more than one generation, so the orchestration continues as new.
        var input = new DeleteJobInput(jobs.ProjectId, memoryEvent.Id, new DeleteTarget(EntityType: "User", EntityName: "alice"), JobHarness.FastRetries);
        var done = await jobs.RunAsync(JobNames.DeleteMemoriesJob, input, input.EventId);

        Assert.Equal(EventStatus.Succeeded, done.Status);
        Assert.Equal(120, done.Progress!.Processed);
        Assert.Equal(0, await jobs.CountAsync(Alice));
        Assert.Equal(1, await jobs.CountAsync(new MemoryScope("bob")));
        var history = await jobs.Store.GetHistoryAsync(jobs.ProjectId, seed[0].MemoryId!);
        Assert.Equal(HistoryEvent.Delete, history[^1].Event);
        Assert.NotEmpty(kept);
    }

    private Task<JobHarness> StartAsync(MemoryEngineOptions? engineOptions = null) =>
        JobHarness.StartAsync(engineOptions, backend: Backend);

    private static string Items(int count) =>
        JsonSerializer.Serialize(Enumerable.Range(0, count).Select(i => new Dictionary<string, string> { ["memory"] = $"fact {i}", ["user_id"] = "alice" }));

    private static async Task<AddJobInput> StageAddAsync(JobHarness jobs, MemoryEvent memoryEvent, string message)
    {
        var request = new AddMemoriesRequest
        {
            ProjectId = jobs.ProjectId,
            Scope = Alice,
            Messages = [new InputMessage("user", message)],
            Metadata = JsonDocument.Parse("""{"source":"test"}""").RootElement,
        };
        var key = $"{jobs.ProjectId}/{memoryEvent.Id}/add.json";
        await jobs.Payloads.WriteAsync(key, JsonSerializer.SerializeToUtf8Bytes(request, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        return new AddJobInput(jobs.ProjectId, memoryEvent.Id, key, Alice.Key, false, JobHarness.FastRetries);
    }

    private static async Task<ImportJobInput> StageImportAsync(JobHarness jobs, MemoryEvent memoryEvent, string body)
    {
        var options = new JobsOptions { ImportBatchSize = 10 };
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));
        var staged = await ImportStaging.StageAsync(stream, ImportStaging.Prefix(jobs.ProjectId, memoryEvent.Id), null, jobs.Payloads, options);
        return new ImportJobInput(
            jobs.ProjectId, memoryEvent.Id, staged.PayloadPrefix, staged.ChunkCount, staged.ChunkSize, staged.Total, staged.Infer, 1000, JobHarness.FastRetries);
    }
}

/// <summary>The orchestration suite on the Durable in-process test host.</summary>
public sealed class TestHostJobOrchestrationsTests : JobOrchestrationsTests
{
    protected override JobBackend Backend => JobBackend.TestHost;
}

/// <summary>The orchestration suite on the local server's worker over the Durable Task Azure Storage provider (Azurite).</summary>
public sealed class AzureStorageJobOrchestrationsTests : JobOrchestrationsTests, IAzuriteBackend
{
    protected override JobBackend Backend => JobBackend.AzureStorage;
}
