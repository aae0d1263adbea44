using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Core.AI;
using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Mem0.Server.Tests.Observability;

/// <summary>
/// The server's telemetry, probes and OpenAPI document over real HTTP, with an in-memory exporter in place of OTLP and
/// embeddings from the local fake OpenAI server (so model calls are real HTTP calls through the traced client).
/// </summary>
public sealed class ServerObservabilityTests : IAsyncLifetime
{
    // Memory text that must never reach a span attribute or a log record above Debug.
    private const string Secret = "my locker code is purple-elephant-4711";
    private const string SecretMarker = "purple-elephant";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-server-otel-" + Guid.NewGuid().ToString("N"));
    private readonly List<Activity> _spans = [];
    private readonly RecordingLogExporter _logs = new();
    private FakeOpenAIServer _openAI = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _openAI = await FakeOpenAIServer.StartAsync();
        _app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={_dataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            "--Mem0:AI:EmbeddingProvider=OpenAICompatible",
            $"--Mem0:AI:Endpoint={_openAI.BaseUri}v1/",
            "--Mem0:AI:EmbeddingModel=fake-embedding",
            "--Mem0:AI:EmbeddingDimensions=8",
            "--Logging:LogLevel:Default=Warning",

            // Everything down to Debug reaches the exporter, so the test sees what an operator turning logs up would.
            "--Logging:OpenTelemetry:LogLevel:Default=Debug",
        ],
        builder =>
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
            builder.Logging.AddOpenTelemetry(logging => logging.AddProcessor(new SimpleLogRecordExportProcessor(_logs)));
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bootstrap = await _app.Services.GetRequiredService<ServerState>().Bootstrap;
        _client = new HttpClient { BaseAddress = new Uri(address) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", bootstrap.GeneratedApiKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _openAI.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }

    [Fact]
    public async Task AddAndSearch_ProduceHttpModelAndJobSpans_WithoutMemoryTextInSpansOrLogs()
    {
        var queued = await ReadJsonAsync(await _client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = new[] { new { role = "user", content = Secret } },
            user_id = "alice",
        }));
        var eventId = queued.GetProperty("event_id").GetString()!;
        Assert.Equal("SUCCEEDED", (await WaitForEventAsync(eventId)).GetProperty("status").GetString());
        var search = await _client.PostAsJsonAsync("/v3/memories/search/", new { query = Secret, filters = new { user_id = "alice" } });
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var spans = Snapshot();

        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") as string == "/v3/memories/add/");
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") as string == "/v3/memories/search/");
        Assert.Contains(spans, s => s.Source.Name == AiClientPipeline.TelemetrySourceName && s.GetTagItem("gen_ai.request.model") as string == "fake-embedding");
        Assert.Contains(spans, s => s.Kind == ActivityKind.Client && s.Source.Name == "System.Net.Http");
        Assert.Contains(spans, s => s.Source.Name == JobTelemetry.SourceName && s.DisplayName == $"job.activity {JobNames.RunAdd}"
            && s.GetTagItem("mem0.event_id") as string == eventId);
        Assert.Contains(spans, s => s.Source.Name == JobTelemetry.SourceName && s.DisplayName == $"job.schedule {JobNames.AddMemoriesJob}");

        Assert.All(spans, span =>
        {
            Assert.DoesNotContain(SecretMarker, span.DisplayName, StringComparison.Ordinal);
            Assert.All(span.TagObjects, tag => Assert.DoesNotContain(SecretMarker, Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparison.Ordinal));
            Assert.All(span.Events, e => Assert.DoesNotContain(SecretMarker, e.Name, StringComparison.Ordinal));
        });
        var logs = _logs.Snapshot();
        Assert.NotEmpty(logs);
        Assert.All(logs.Where(l => l.Level > LogLevel.Debug), log => Assert.DoesNotContain(SecretMarker, log.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Healthz_Anonymous_IsHealthyAndNotTraced()
    {
        using var anonymous = new HttpClient { BaseAddress = _client.BaseAddress };

        var live = await anonymous.GetAsync("/healthz");
        var body = await ReadJsonAsync(live);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.DoesNotContain(Snapshot(), s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string)?.StartsWith("/healthz", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Readyz_Anonymous_ReportsStoreAndModelOnly()
    {
        using var anonymous = new HttpClient { BaseAddress = _client.BaseAddress };

        var ready = await anonymous.GetAsync("/readyz");
        var body = await ReadJsonAsync(ready);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(new Dictionary<string, string?> { ["model"] = "Healthy", ["store"] = "Healthy" }, checks);
    }

    [Fact]
    public async Task OpenApiDocument_PathsAndMethods_MatchTheRouteTableExactly()
    {
        using var anonymous = new HttpClient { BaseAddress = _client.BaseAddress };

        var document = await ReadJsonAsync(await anonymous.GetAsync("/openapi/v1.json"));

        var documented = new HashSet<(string, string)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch"))
            {
                Assert.True(documented.Add((operation.Name.ToUpperInvariant(), path.Name)), $"{operation.Name} {path.Name} twice");
            }
        }

        var table = Mem0Routes.Hosted.Select(r => (r.Method, r.Template)).ToHashSet();
        Assert.Empty(table.Except(documented));
        Assert.Empty(documented.Except(table));
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(document.GetProperty("paths").GetProperty("/v1/ping/").GetProperty("get").TryGetProperty("security", out _));
        Assert.False(document.GetProperty("paths").GetProperty("/healthz").GetProperty("get").TryGetProperty("security", out _));
        Assert.Equal("Authorization", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Token").GetProperty("name").GetString());
    }

    private List<Activity> Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }

    private async Task<JsonElement> WaitForEventAsync(string eventId)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var memoryEvent = await ReadJsonAsync(await _client.GetAsync($"/v1/event/{eventId}/"));
            if (memoryEvent.GetProperty("status").GetString() is "SUCCEEDED" or "FAILED")
            {
                return memoryEvent;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Event {eventId} did not finish.");
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Keeps level and the full text of each record (message, template and attribute values) at export time.</summary>
    private sealed class RecordingLogExporter : BaseExporter<LogRecord>
    {
        private readonly List<(LogLevel Level, string Text)> _records = [];

        public IReadOnlyList<(LogLevel Level, string Text)> Snapshot()
        {
            lock (_records)
            {
                return [.. _records];
            }
        }

        public override ExportResult Export(in Batch<LogRecord> batch)
        {
            lock (_records)
            {
                foreach (var record in batch)
                {
                    var attributes = record.Attributes?.Select(a => $"{a.Key}={a.Value}") ?? [];
                    var text = string.Join(" | ", new[] { record.FormattedMessage ?? "", record.Body ?? "", record.Exception?.ToString() ?? "" }.Concat(attributes));
                    _records.Add((record.LogLevel, text));
                }
            }

            return ExportResult.Success;
        }
    }
}
