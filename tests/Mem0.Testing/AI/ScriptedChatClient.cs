using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Mem0.Testing.AI;

/// <summary>
/// An <see cref="IChatClient"/> that answers from a queue of canned replies (or a responder function),
/// records what it was sent and counts calls. Reports approximate input tokens (characters / 4) as usage.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly ConcurrentQueue<string> _replies = new();
    private readonly Func<IReadOnlyList<ChatMessage>, string>? _responder;
    private readonly ConcurrentQueue<ScriptedCall> _calls = new();

    public ScriptedChatClient(params string[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }
    }

    /// <summary>Answers every call with the responder's reply to the messages received.</summary>
    public ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, string> responder)
    {
        _responder = responder;
    }

    public int CallCount => _calls.Count;

    public IReadOnlyList<ScriptedCall> Calls => _calls.ToList();

    public ScriptedChatClient Enqueue(string reply)
    {
        _replies.Enqueue(reply);
        return this;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Real clients complete asynchronously; yielding lets concurrent callers interleave as they would in production.
        await Task.Yield();
        var received = messages.ToList();
        _calls.Enqueue(new ScriptedCall(received, options));
        string reply;
        if (_responder is not null)
        {
            reply = _responder(received);
        }
        else if (!_replies.TryDequeue(out reply!))
        {
            throw new InvalidOperationException($"ScriptedChatClient has no reply left for call {_calls.Count}.");
        }

        var inputTokens = received.Sum(m => (long)(m.Text?.Length ?? 0)) / 4;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
        {
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = reply.Length / 4 },
        };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The engine never streams.");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}

/// <summary>One call the scripted client received.</summary>
public sealed record ScriptedCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)
{
    public string SystemPrompt => Messages.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? "";

    public string UserPrompt => string.Join('\n', Messages.Where(m => m.Role == ChatRole.User).Select(m => m.Text));
}
