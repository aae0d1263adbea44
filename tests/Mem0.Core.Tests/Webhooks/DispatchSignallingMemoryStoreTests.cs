using Mem0.Core.Memories;
using Mem0.Core.Webhooks;
using Mem0.Testing.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Core.Tests.Webhooks;

public sealed class DispatchSignallingMemoryStoreTests
{
    private readonly InMemoryMemoryStore _inner = new();
    private readonly RecordingSignal _signal = new();

    private IMemoryStore Store => DispatchSignallingMemoryStore.Create(_inner, _signal, NullLogger.Instance);

    [Fact]
    public async Task ApplyAsync_WithHistory_SignalsAfterTheCommit()
    {
        await Store.ApplyAsync("proj-1", new MemoryChangeSet { History = [WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a", id: "h1")] });

        Assert.Equal(["proj-1"], _signal.Projects);
        Assert.Single(await _inner.GetUndispatchedAsync(10));
    }

    [Fact]
    public async Task ApplyAsync_WithoutHistory_DoesNotSignal()
    {
        await Store.ApplyAsync("proj-1", new MemoryChangeSet());

        Assert.Empty(_signal.Projects);
    }

    [Fact]
    public async Task ApplyAsync_SignalFails_TheWriteStillSucceeds()
    {
        _signal.Fail = true;

        await Store.ApplyAsync("proj-1", new MemoryChangeSet { History = [WebhookPayloadTests.Entry(HistoryEvent.Add, newText: "a", id: "h1")] });

        Assert.Single(await _inner.GetUndispatchedAsync(10));
    }

    [Fact]
    public async Task OtherMembers_AreForwardedAndTheirExceptionsUnwrapped()
    {
        Assert.Empty(await Store.GetHistoryAsync("proj-1", "nope"));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Store.ApplyAsync("proj-1", null!));
        Assert.Empty(_signal.Projects);
    }

    private sealed class RecordingSignal : IWebhookDispatchSignal
    {
        public List<string> Projects { get; } = [];

        public bool Fail { get; set; }

        public Task NotifyChangesAsync(string projectId, CancellationToken cancellationToken = default)
        {
            if (Fail)
            {
                throw new InvalidOperationException("queue down");
            }

            Projects.Add(projectId);
            return Task.CompletedTask;
        }
    }
}
