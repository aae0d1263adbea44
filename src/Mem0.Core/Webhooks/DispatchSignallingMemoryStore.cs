using System.Reflection;
using Mem0.Core.Memories;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Webhooks;

/// <summary>
/// Wraps the host's <see cref="IMemoryStore"/> so that every committed <see cref="IMemoryStore.ApplyAsync"/> that wrote
/// history (the outbox) signals the dispatcher. A proxy rather than a hand-written decorator: every other member is
/// forwarded untouched, so the store interface can grow without an edit here.
/// </summary>
public class DispatchSignallingMemoryStore : DispatchProxy
{
    private IMemoryStore _inner = null!;
    private IWebhookDispatchSignal _signal = null!;
    private ILogger _logger = null!;

    /// <summary>The store that signals after each write; <paramref name="inner"/> does the work.</summary>
    public static IMemoryStore Create(IMemoryStore inner, IWebhookDispatchSignal signal, ILogger logger)
    {
        var proxy = Create<IMemoryStore, DispatchSignallingMemoryStore>();
        var self = (DispatchSignallingMemoryStore)(object)proxy;
        self._inner = inner;
        self._signal = signal;
        self._logger = logger;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        object? result;
        try
        {
            result = targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }

        if (targetMethod.Name == nameof(IMemoryStore.ApplyAsync) && result is Task applied
            && args is [string projectId, MemoryChangeSet { History.Count: > 0 }, ..])
        {
            return SignalAfterAsync(applied, projectId);
        }

        return result;
    }

    private async Task SignalAfterAsync(Task applied, string projectId)
    {
        await applied;
        try
        {
            await _signal.NotifyChangesAsync(projectId, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The change is committed and its outbox entry with it: the straggler sweep dispatches it later.
            WebhookLog.SignalFailed(_logger, ex);
        }
    }
}

internal static partial class WebhookLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Signalling the webhook dispatcher failed; the straggler sweep will dispatch the change")]
    public static partial void SignalFailed(ILogger logger, Exception exception);
}
