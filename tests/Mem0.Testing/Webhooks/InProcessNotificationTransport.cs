using System.Collections.Concurrent;
using System.Threading.Channels;
using Mem0.Core.Webhooks;

namespace Mem0.Testing.Webhooks;

/// <summary>
/// A test transport: an unbounded in-process channel, with delayed retries driven by <see cref="TimeProvider"/>.
/// Messages do not survive a restart: the hosts use durable queues (SQLite, Storage); this one lets unit tests step time.
/// </summary>
public sealed class InProcessNotificationTransport : INotificationTransport, IDisposable
{
    private readonly Channel<WebhookDeliveryMessage> _channel = Channel.CreateUnbounded<WebhookDeliveryMessage>(new UnboundedChannelOptions { SingleReader = false });
    private readonly ConcurrentDictionary<ITimer, byte> _timers = new();
    private readonly ConcurrentQueue<(WebhookDeliveryMessage Message, string Reason)> _deadLetters = new();
    private readonly TimeProvider _timeProvider;

    public InProcessNotificationTransport(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    public ChannelReader<WebhookDeliveryMessage> Reader => _channel.Reader;

    /// <summary>Dead-lettered messages of this process, oldest first (the local poison queue).</summary>
    public IReadOnlyCollection<(WebhookDeliveryMessage Message, string Reason)> DeadLetters => _deadLetters;

    /// <summary>Retries waiting for their delay.</summary>
    public int ScheduledCount => _timers.Count;

    public Task SendAsync(WebhookDeliveryMessage message, CancellationToken cancellationToken = default) =>
        _channel.Writer.WriteAsync(message, cancellationToken).AsTask();

    public Task SendDelayedAsync(WebhookDeliveryMessage message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        if (delay <= TimeSpan.Zero)
        {
            return SendAsync(message, cancellationToken);
        }

        ITimer? timer = null;
        timer = _timeProvider.CreateTimer(
            _ =>
            {
                _channel.Writer.TryWrite(message);
                if (timer is not null && _timers.TryRemove(timer, out byte _))
                {
                    timer.Dispose();
                }
            },
            null,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        _timers[timer] = 0;
        // Armed only after it is tracked, so the callback always finds (and removes) it.
        timer.Change(delay, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public Task DeadLetterAsync(WebhookDeliveryMessage message, string reason, CancellationToken cancellationToken = default)
    {
        _deadLetters.Enqueue((message, reason));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var timer in _timers.Keys)
        {
            timer.Dispose();
        }

        _timers.Clear();
        _channel.Writer.TryComplete();
    }
}
