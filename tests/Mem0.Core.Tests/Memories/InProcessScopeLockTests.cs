using Mem0.Core.Memories;

namespace Mem0.Core.Tests.Memories;

public sealed class InProcessScopeLockTests
{
    private static readonly MemoryScope Alice = new(UserId: "alice");

    [Fact]
    public async Task AcquireAsync_SameScope_WaitsForRelease()
    {
        var scopeLock = new InProcessScopeLock();
        var first = await scopeLock.AcquireAsync("p", Alice);

        var second = scopeLock.AcquireAsync("p", Alice).AsTask();
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await (await second).DisposeAsync();
        Assert.Equal(0, scopeLock.ActiveScopes);
    }

    [Fact]
    public async Task AcquireAsync_OtherScopeOrProject_DoesNotWait()
    {
        var scopeLock = new InProcessScopeLock();
        await using var held = await scopeLock.AcquireAsync("p", Alice);

        var otherScope = scopeLock.AcquireAsync("p", new MemoryScope(UserId: "bob")).AsTask();
        var otherProject = scopeLock.AcquireAsync("q", Alice).AsTask();

        Assert.True(otherScope.IsCompletedSuccessfully);
        Assert.True(otherProject.IsCompletedSuccessfully);
        await (await otherScope).DisposeAsync();
        await (await otherProject).DisposeAsync();
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_ReleasesItsReference()
    {
        var scopeLock = new InProcessScopeLock();
        var held = await scopeLock.AcquireAsync("p", Alice);
        using var cts = new CancellationTokenSource();

        var waiting = scopeLock.AcquireAsync("p", Alice, cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await held.DisposeAsync();
        Assert.Equal(0, scopeLock.ActiveScopes);
    }
}
