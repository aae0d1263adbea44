namespace Mem0.Core.Webhooks;

/// <summary>
/// Tells the dispatcher that committed changes wait in the outbox, right after the write: dispatch follows the writes
/// instead of polling. Locally an in-process wake-up; in Azure a message on the dispatch queue. A lost signal (a crash
/// right after the commit) delays a notification until the next straggler sweep; it never loses it.
/// </summary>
public interface IWebhookDispatchSignal
{
    Task NotifyChangesAsync(string projectId, CancellationToken cancellationToken = default);
}

/// <summary>The local server's signal: wakes <see cref="WebhookDispatchService"/>; many signals before it runs make one sweep.</summary>
public sealed class InProcessDispatchSignal : IWebhookDispatchSignal, IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public Task NotifyChangesAsync(string projectId, CancellationToken cancellationToken = default)
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // A sweep is already due; it will see this change too.
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes with true when signalled, false after <paramref name="timeout"/>.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pending.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _pending.Dispose();
}
