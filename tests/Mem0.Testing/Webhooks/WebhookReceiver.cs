using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mem0.Testing.Webhooks;

/// <summary>A request the receiver got.</summary>
public sealed record ReceivedWebhook(string Path, string Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>When the request arrived (for latency figures in benchmarks; tests do not assert on time).</summary>
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the receiver answers to one request.</summary>
public sealed record ScriptedAnswer(int StatusCode, string Body = "ok", string? Location = null, bool Hang = false);

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel, free port) that records webhook POSTs and answers from a script
/// (default 200). <see cref="Hang"/> answers hold the request until the client gives up.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentQueue<ScriptedAnswer> _script = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _succeeded = new();
    private readonly Lock _waitLock = new();
    private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly CancellationTokenSource _stopping = new();

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The URL to register: <c>http://127.0.0.1:{port}/hook</c>.</summary>
    public string Url => new Uri(BaseAddress, "/hook").ToString();

    public int Port => BaseAddress.Port;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>The requests answered with a 2xx (a hung request never is).</summary>
    public IReadOnlyList<ReceivedWebhook> Succeeded => [.. _succeeded];

    /// <summary>While true, every request hangs like a <see cref="ScriptedAnswer.Hang"/> answer (the script is not consumed).</summary>
    public bool HangAll { get; set; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapFallback(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return receiver;
    }

    /// <summary>Queues answers for the next requests, in order; once used up the receiver answers 200.</summary>
    public void Script(params ScriptedAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    public void Script(params int[] statusCodes) => Script([.. statusCodes.Select(c => new ScriptedAnswer(c))]);

    /// <summary>Completes when at least <paramref name="count"/> requests have arrived (fails the test after a generous guard timeout).</summary>
    public Task WaitForAsync(int count)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitLock)
        {
            if (_received.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, signal));
        }

        return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedWebhook(context.Request.Path, body, headers);
        _received.Enqueue(request);
        lock (_waitLock)
        {
            foreach (var waiter in _waiters.Where(w => _received.Count >= w.Count).ToList())
            {
                waiter.Signal.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        var answer = HangAll ? new ScriptedAnswer(200, Hang: true) : _script.TryDequeue(out var scripted) ? scripted : new ScriptedAnswer(200);
        if (answer.Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token).Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = answer.StatusCode;
        if (answer.Location is not null)
        {
            context.Response.Headers.Location = answer.Location;
        }

        await context.Response.WriteAsync(answer.Body);
        if (answer.StatusCode is >= 200 and < 300)
        {
            _succeeded.Enqueue(request);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
