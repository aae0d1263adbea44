using Mem0.Core.Events;
using Mem0.Core.Jobs;
using Microsoft.DurableTask;
using Moq;

namespace Mem0.Core.Tests.Jobs;

/// <summary>
/// How often the import orchestration reports progress, with a mocked <see cref="TaskOrchestrationContext"/> whose
/// clock the test moves: reports follow orchestration time, not the number of chunks, and never overlap a chunk.
/// </summary>
public sealed class ImportJobProgressTests
{
    private readonly List<string> _calls = [];
    private readonly List<ImportProgressInput> _reports = [];
    private DateTime _now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ImportMemoriesJob_ChunksFasterThanTheInterval_ReportsOnceAtTheEnd()
    {
        var context = MockContext(chunkDuration: TimeSpan.FromMilliseconds(50));

        var status = await JobOrchestrations.ImportMemoriesJobAsync(context.Object, Input(chunks: 8));

        Assert.Equal("SUCCEEDED", status);
        var report = Assert.Single(_reports);
        Assert.Equal((800, 800, 0), (report.Total, report.Processed, report.Failed));
        Assert.Equal(8, _calls.Count(c => c == JobNames.ImportChunk));
    }

    [Fact]
    public async Task ImportMemoriesJob_SlowChunks_ReportsAfterEachIntervalInOrderAndBetweenChunks()
    {
        var context = MockContext(chunkDuration: JobOrchestrations.ProgressInterval);

        await JobOrchestrations.ImportMemoriesJobAsync(context.Object, Input(chunks: 3));

        Assert.Equal([100, 200, 300], _reports.Select(r => r.Processed));
        Assert.Equal(
            [JobNames.StartJob, JobNames.ImportChunk, JobNames.ReportImportProgress, JobNames.ImportChunk, JobNames.ReportImportProgress,
             JobNames.ImportChunk, JobNames.ReportImportProgress, JobNames.CompleteEvent, JobNames.DeletePayload],
            _calls);
    }

    private static ImportJobInput Input(int chunks) =>
        new("p1", "e1", "p1/e1/", chunks, 100, chunks * 100, Infer: false, MaxListedFailures: 10, new JobSettings(Concurrency: 1));

    private Mock<TaskOrchestrationContext> MockContext(TimeSpan chunkDuration)
    {
        var context = new Mock<TaskOrchestrationContext>();
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => _now);
        context.Setup(c => c.CallActivityAsync<bool>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) =>
            {
                _calls.Add(name.Name);
                if (input is ImportProgressInput progress)
                {
                    _reports.Add(progress);
                }
            })
            .ReturnsAsync(true);
        context.Setup(c => c.CallActivityAsync<ImportChunkResult>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, _, _) =>
            {
                _calls.Add(name.Name);
                _now += chunkDuration;
            })
            .ReturnsAsync(new ImportChunkResult(100, 0, Array.Empty<ItemFailure>()));
        return context;
    }
}
