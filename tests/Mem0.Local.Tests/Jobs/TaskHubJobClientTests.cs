using DurableTask.Core.Exceptions;
using Mem0.Local.Jobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Local.Tests.Jobs;

/// <summary>The client the Core jobs use on the local backends, over the in-memory orchestration service and the server's worker.</summary>
public sealed class TaskHubJobClientTests : IAsyncDisposable
{
    private const string Echo = "TestEcho";
    private const string Gated = "TestGated";

    private readonly InMemoryOrchestrationService _service = new(NullLoggerFactory.Instance);
    private readonly ServiceProvider _provider = new ServiceCollection().BuildServiceProvider();
    private TaskHubJobWorker? _worker;

    [Fact]
    public async Task Schedule_InputRoundTripsThroughTheWorker_CompletesWithOutputAndIsPurged()
    {
        var client = await StartAsync();

        await client.ScheduleNewOrchestrationInstanceAsync(Echo, new EchoInput("p1", 41), new StartOrchestrationOptions { InstanceId = "e1" });
        var done = await client.WaitForInstanceCompletionAsync("e1", getInputsAndOutputs: true);
        var purged = await client.PurgeInstanceAsync("e1");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new EchoInput("p1", 42), done.ReadOutputAs<EchoInput>());
        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync("e1"));
    }

    [Fact]
    public async Task Schedule_InstanceIdThatExists_IsRefusedAndTheRunningOneContinues()
    {
        var client = await StartAsync();
        await client.ScheduleNewOrchestrationInstanceAsync(Gated, "x", new StartOrchestrationOptions { InstanceId = "e2" });
        await client.WaitForInstanceStartAsync("e2");

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() =>
            client.ScheduleNewOrchestrationInstanceAsync(Gated, "y", new StartOrchestrationOptions { InstanceId = "e2" }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.PurgeInstanceAsync("e2"));

        await client.RaiseEventAsync("e2", "go", "done");
        var done = await client.WaitForInstanceCompletionAsync("e2", getInputsAndOutputs: true);
        Assert.Equal("done", done.ReadOutputAs<string>());
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        await _provider.DisposeAsync();
    }

    private async Task<DurableTaskClient> StartAsync()
    {
        var registry = new DurableTaskRegistry();
        registry.AddActivityFunc<EchoInput, EchoInput>("Increment", (_, input) => input with { Value = input.Value + 1 });
        registry.AddOrchestratorFunc<EchoInput, EchoInput>(Echo, (context, input) => context.CallActivityAsync<EchoInput>("Increment", input));
        registry.AddOrchestratorFunc<string, string>(Gated, (context, _) => context.WaitForExternalEvent<string>("go"));
        _worker = new TaskHubJobWorker(_service, registry, _provider, NullLoggerFactory.Instance);
        await _worker.StartAsync(CancellationToken.None);
        return new TaskHubJobClient(_service);
    }

    public sealed record EchoInput(string ProjectId, int Value);
}
