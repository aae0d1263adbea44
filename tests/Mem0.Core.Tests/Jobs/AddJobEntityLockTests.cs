using Mem0.Core.Jobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Moq;

namespace Mem0.Core.Tests.Jobs;

/// <summary>
/// The Functions path of the add job (a Durable entity critical section per scope), with a mocked
/// <see cref="TaskOrchestrationContext"/>: the in-process test host does not run entities.
/// </summary>
public sealed class AddJobEntityLockTests
{
    private readonly List<string> _calls = [];

    [Fact]
    public async Task AddMemoriesJob_UseEntityLock_RunsTheAddInsideTheScopeLock()
    {
        var context = MockContext(out var entities);
        var input = new AddJobInput("p1", "e1", "p1/e1/add.json", "u=alice&a=&p=&r=", UseEntityLock: true, new JobSettings());

        var status = await JobOrchestrations.AddMemoriesJobAsync(context.Object, input);

        Assert.Equal("SUCCEEDED", status);
        Assert.Equal(["StartJob", "lock:@scopelock@p1|u=alice&a=&p=&r=", "RunAdd", "unlock", "CompleteEvent", "DeletePayload"], _calls);
        Assert.Single(_calls, c => c.StartsWith("lock:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddMemoriesJob_WithoutEntityLock_NeverTouchesEntities()
    {
        var context = MockContext(out var entities);
        var input = new AddJobInput("p1", "e1", "p1/e1/add.json", "u=alice&a=&p=&r=", UseEntityLock: false, new JobSettings());

        await JobOrchestrations.AddMemoriesJobAsync(context.Object, input);

        Assert.Equal(["StartJob", "RunAdd", "CompleteEvent", "DeletePayload"], _calls);
        entities.Verify(e => e.LockEntitiesAsync(It.IsAny<IEnumerable<EntityInstanceId>>()), Times.Never);
        entities.Verify(e => e.LockEntitiesAsync(It.IsAny<EntityInstanceId[]>()), Times.Never);
    }

    [Fact]
    public async Task AddMemoriesJob_AddFailsInsideLock_ReleasesLockAndEndsFailed()
    {
        var context = MockContext(out _, failRunAdd: true);
        var input = new AddJobInput("p1", "e1", "p1/e1/add.json", "k", UseEntityLock: true, new JobSettings());

        var status = await JobOrchestrations.AddMemoriesJobAsync(context.Object, input);

        Assert.Equal("FAILED", status);
        Assert.Equal(["StartJob", "lock:@scopelock@p1|k", "RunAdd", "unlock", "CompleteEvent", "DeletePayload"], _calls);
        context.Verify(c => c.CallActivityAsync<bool>(
            It.Is<TaskName>(n => n.Name == JobNames.CompleteEvent),
            It.Is<object?>(i => i is CompleteEventInput && !((CompleteEventInput)i).Succeeded && ((CompleteEventInput)i).Error == "LLM is rate limited"),
            It.IsAny<TaskOptions?>()));
    }

    private Mock<TaskOrchestrationContext> MockContext(out Mock<TaskOrchestrationEntityFeature> entities, bool failRunAdd = false)
    {
        var context = new Mock<TaskOrchestrationContext>();
        entities = new Mock<TaskOrchestrationEntityFeature>();
        var release = new Mock<IAsyncDisposable>();
        release.Setup(r => r.DisposeAsync()).Callback(() => _calls.Add("unlock")).Returns(ValueTask.CompletedTask);
        entities.Setup(e => e.LockEntitiesAsync(It.IsAny<IEnumerable<EntityInstanceId>>()))
            .Callback<IEnumerable<EntityInstanceId>>(ids => _calls.Add("lock:" + string.Join(",", ids)))
            .ReturnsAsync(release.Object);
        entities.Setup(e => e.LockEntitiesAsync(It.IsAny<EntityInstanceId[]>()))
            .Callback<EntityInstanceId[]>(ids => _calls.Add("lock:" + string.Join(",", ids)))
            .ReturnsAsync(release.Object);
        context.SetupGet(c => c.Entities).Returns(entities.Object);
        context.Setup(c => c.CallActivityAsync<bool>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, _, _) => _calls.Add(name.Name))
            .ReturnsAsync(true);
        var runAdd = context.Setup(c => c.CallActivityAsync<int>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((name, _, _) => _calls.Add(name.Name));
        if (failRunAdd)
        {
            runAdd.ThrowsAsync(new TaskFailedException(
                JobNames.RunAdd, 1, new TaskFailureDetails(typeof(Common.ThrottledException).FullName!, "LLM is rate limited", null, null, null)));
        }
        else
        {
            runAdd.ReturnsAsync(1);
        }

        return context;
    }
}
