using Mem0.Local.Jobs;

namespace Mem0.Local.Tests.Jobs;

/// <summary>Which waiting job starts next: per-project FIFO, least recently served project first (issue 13 fairness).</summary>
public sealed class ProjectFairQueueTests
{
    [Fact]
    public async Task Dequeue_OneProjectsBurstThenAnotherProjectsJob_TheOtherGoesNext()
    {
        var queue = new ProjectFairQueue<string>();
        queue.TryEnqueue("B", "b1");
        Assert.Equal("b1", await NextAsync(queue)); // b1 is running
        foreach (var item in new[] { "b2", "b3", "b4" })
        {
            queue.TryEnqueue("B", item);
        }

        queue.TryEnqueue("A", "a1");

        Assert.Equal(["a1", "b2", "b3", "b4"], await DrainAsync(queue, 4));
    }

    [Fact]
    public async Task Dequeue_TwoBusyProjects_Alternate_AndKeepEachProjectsOrder()
    {
        var queue = new ProjectFairQueue<string>();
        foreach (var item in new[] { "a1", "a2", "a3" })
        {
            queue.TryEnqueue("A", item);
        }

        foreach (var item in new[] { "b1", "b2" })
        {
            queue.TryEnqueue("B", item);
        }

        queue.TryEnqueue("C", "c1");

        Assert.Equal(["a1", "b1", "c1", "a2", "b2", "a3"], await DrainAsync(queue, 6));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Dequeue_WaitsForAnItem_AndEndsAfterComplete()
    {
        var queue = new ProjectFairQueue<string>();
        var waiting = queue.TryDequeueAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        queue.TryEnqueue("A", "late");
        Assert.Equal((true, "late"), await waiting);

        queue.TryEnqueue("A", "queued before the end");
        queue.Complete();
        Assert.False(queue.TryEnqueue("A", "after the end"));
        Assert.Equal((true, "queued before the end"), await queue.TryDequeueAsync(CancellationToken.None));
        Assert.False((await queue.TryDequeueAsync(CancellationToken.None)).Found);
        Assert.False((await queue.TryDequeueAsync(CancellationToken.None)).Found);
    }

    private static async Task<string> NextAsync(ProjectFairQueue<string> queue)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (found, item) = await queue.TryDequeueAsync(timeout.Token);
        Assert.True(found);
        return item;
    }

    private static async Task<List<string>> DrainAsync(ProjectFairQueue<string> queue, int count)
    {
        var items = new List<string>();
        for (var i = 0; i < count; i++)
        {
            items.Add(await NextAsync(queue));
        }

        return items;
    }
}
