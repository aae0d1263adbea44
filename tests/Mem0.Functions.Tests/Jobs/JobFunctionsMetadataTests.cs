using System.Text.Json;
using Mem0.Core.Jobs;
using Mem0.Functions.Jobs;
using Mem0.Functions.Tests.Http;
using Microsoft.DurableTask.Client;
using Moq;

namespace Mem0.Functions.Tests.Jobs;

public sealed class JobFunctionsMetadataTests
{
    private static Dictionary<string, List<string>> Bindings()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsMetadataTests.FunctionsOutputDirectory(), "functions.metadata")));
        return metadata.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().Select(b => b.GetProperty("type").GetString()!).ToList());
    }

    [Theory]
    [InlineData(JobNames.AddMemoriesJob, "orchestrationTrigger")]
    [InlineData(JobNames.ImportMemoriesJob, "orchestrationTrigger")]
    [InlineData(JobNames.DeleteMemoriesJob, "orchestrationTrigger")]
    [InlineData(JobNames.StartJob, "activityTrigger")]
    [InlineData(JobNames.RunAdd, "activityTrigger")]
    [InlineData(JobNames.ImportChunk, "activityTrigger")]
    [InlineData(JobNames.ReportImportProgress, "activityTrigger")]
    [InlineData(JobNames.CountDelete, "activityTrigger")]
    [InlineData(JobNames.DeleteBatch, "activityTrigger")]
    [InlineData(JobNames.ReportDeleteProgress, "activityTrigger")]
    [InlineData(JobNames.CompleteEvent, "activityTrigger")]
    [InlineData(JobNames.DeletePayload, "activityTrigger")]
    [InlineData(JobNames.ScopeLock, "entityTrigger")]
    public void FunctionsMetadata_JobFunction_HasItsTrigger(string name, string trigger)
    {
        var bindings = Bindings();

        Assert.True(bindings.ContainsKey(name), $"functions.metadata lacks {name}");
        Assert.Equal([trigger], bindings[name]);
    }

    [Theory]
    [InlineData("AddMemories")]
    [InlineData("AddMemoriesV1")]
    [InlineData("DeleteAllMemories")]
    [InlineData("DeleteEntity")]
    [InlineData("ImportMemories")]
    public void FunctionsMetadata_JobSchedulingTrigger_TakesADurableClient(string name)
    {
        var bindings = Bindings();

        Assert.Contains("httpTrigger", bindings[name]);
        Assert.Contains("durableClient", bindings[name]);
    }

    [Fact]
    public void FunctionsMetadata_SweepJobs_IsAnHourlyTimerWithADurableClient()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsMetadataTests.FunctionsOutputDirectory(), "functions.metadata")));
        var sweep = metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == JobSweepFunction.Name);
        var bindings = sweep.GetProperty("bindings").EnumerateArray().ToList();

        Assert.Equal(["timerTrigger", "durableClient"], bindings.Select(b => b.GetProperty("type").GetString()));
        // Hourly at most: each run wakes an idle (scaled-to-zero) deployment.
        Assert.Equal("0 0 * * * *", bindings[0].GetProperty("schedule").GetString());
    }

    [Fact]
    public void FunctionsMetadata_ReembedMemories_IsATimerOnTheSweepsSchedule()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsMetadataTests.FunctionsOutputDirectory(), "functions.metadata")));
        var reembed = metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == ReembedMemoriesFunction.Name);
        var bindings = reembed.GetProperty("bindings").EnumerateArray().ToList();

        var trigger = Assert.Single(bindings);
        Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());

        // The same minute as the job sweep: one wake of an idle deployment serves both.
        Assert.Equal(JobSweepFunction.Schedule, trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public async Task FunctionsDurableClientSource_InsideRunAsync_ReturnsTheInvocationsClient_OutsideThrows()
    {
        var source = new FunctionsDurableClientSource();
        var client = new Mock<DurableTaskClient>("test").Object;

        var seen = await FunctionsDurableClientSource.RunAsync(client, () => Task.FromResult(source.GetClient()));

        Assert.Same(client, seen);
        Assert.Throws<InvalidOperationException>(source.GetClient);
    }
}
