using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mem0.Testing.AI;

/// <summary>One HTTP request the fake server received.</summary>
public sealed record FakeOpenAIRequest(string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body parsed as JSON (null when empty or not JSON).</summary>
    public JsonNode? Json
    {
        get
        {
            try
            {
                return string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (free port) speaking enough of the OpenAI REST API for client tests:
/// chat completions (scripted replies) and embeddings (deterministic vectors, float or base64), on any path
/// prefix (/v1/, /openai/v1/, /openai/deployments/x/). Every request is recorded; failures can be scripted.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _chatReplies = new();
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _failures = new();
    private readonly ConcurrentQueue<FakeOpenAIRequest> _requests = new();

    private FakeOpenAIServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Base address, e.g. http://127.0.0.1:41234/ .</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Reply content used when no scripted reply is queued.</summary>
    public string DefaultChatReply { get; set; } = "{}";

    /// <summary>Embedding size when the request does not ask for one.</summary>
    public int DefaultEmbeddingDimensions { get; set; } = 8;

    public IReadOnlyList<FakeOpenAIRequest> Requests => [.. _requests];

    public static async Task<FakeOpenAIServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeOpenAIServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Queues the content of the next chat completion.</summary>
    public void EnqueueChatReply(string content) => _chatReplies.Enqueue(content);

    /// <summary>Makes the next request fail with <paramref name="status"/> (optionally with a Retry-After header).</summary>
    public void EnqueueFailure(int status, string? retryAfter = null) => _failures.Enqueue((status, retryAfter));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The vector the server returns for <paramref name="text"/>: unit length, derived from a hash of the text.</summary>
    public static float[] VectorFor(string text, int dimensions)
    {
        var vector = new float[dimensions];
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = (seed[i % seed.Length] - 127.5f) / 127.5f + (i * 0.001f);
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new FakeOpenAIRequest(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty, headers, body);
        _requests.Enqueue(request);

        if (_failures.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure.Status;
            if (failure.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = failure.RetryAfter;
            }

            await context.Response.WriteAsJsonAsync(Error($"scripted failure {failure.Status}"), context.RequestAborted);
            return;
        }

        var json = request.Json;
        if (request.Method != HttpMethods.Post || json is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(Error("expected a POST with a JSON body"), context.RequestAborted);
            return;
        }

        JsonObject response;
        if (request.Path.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            response = ChatCompletion(json);
        }
        else if (request.Path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            response = Embeddings(json);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(Error($"no route {request.Path}"), context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }

    private JsonObject ChatCompletion(JsonNode request)
    {
        var content = _chatReplies.TryDequeue(out var scripted) ? scripted : DefaultChatReply;
        return new JsonObject
        {
            ["id"] = "chatcmpl-fake-" + Guid.NewGuid().ToString("N"),
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = request["model"]?.GetValue<string>() ?? "fake-model",
            ["choices"] = new JsonArray
            {
                new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                    ["finish_reason"] = "stop",
                },
            },
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
        };
    }

    private JsonObject Embeddings(JsonNode request)
    {
        var inputs = request["input"] switch
        {
            JsonArray array => array.Select(item => item?.GetValue<string>() ?? string.Empty).ToList(),
            JsonValue single => [single.GetValue<string>()],
            _ => new List<string>(),
        };
        var dimensions = request["dimensions"]?.GetValue<int>() ?? DefaultEmbeddingDimensions;
        var base64 = request["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = VectorFor(inputs[i], dimensions);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray(vector.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = request["model"]?.GetValue<string>() ?? "fake-embedding-model",
            ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Count, ["total_tokens"] = inputs.Count },
        };
    }

    private static JsonObject Error(string message) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "fake_error", ["code"] = null } };
}
