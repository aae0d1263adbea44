using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Http;

/// <summary>Exports and summaries with a (scripted) language model, over real HTTP on a server of their own.</summary>
public sealed class ExportWithLanguageModelTests : IAsyncLifetime
{
    private const string User = "ana";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-server-exports-" + Guid.NewGuid().ToString("N"));
    private readonly ScriptedChatClient _chat;
    private string _nextReply = "{}";
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public ExportWithLanguageModelTests()
    {
        _chat = new ScriptedChatClient(_ => _nextReply);
    }

    public async Task InitializeAsync()
    {
        _app = ServerApp.Build(
            [
                "--urls", "http://127.0.0.1:0",
                $"--Mem0:Server:DataDirectory={_dataDirectory}",
                "--Mem0:Server:PrintBanner=false",
                "--Logging:LogLevel:Default=Warning",
            ],
            builder =>
            {
                builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator());
                builder.Services.AddSingleton<IChatClient>(_chat);
            });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bootstrap = await _app.Services.GetRequiredService<ServerState>().Bootstrap;
        _client = new HttpClient { BaseAddress = new Uri(address) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", bootstrap.GeneratedApiKey);

        // infer=false stores verbatim without calling the model, so every model call below is the export's or summary's.
        foreach (var fact in new[] { "My name is Ana Lima", "I moved to Lisbon in 2024" })
        {
            var add = await _client.PostAsJsonAsync("/v3/memories/add/", new { messages = fact, user_id = User, infer = false });
            Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private static Dictionary<string, object> Filters => new() { ["AND"] = new object[] { new { user_id = User } } };

    [Fact]
    public async Task CreateExport_WithModel_OneJsonModeCallFillsTheSchemaAndGetReturnsIt()
    {
        _nextReply = """{"full_name": "Ana Lima", "city": "Lisbon"}""";
        var schema = new { type = "object", properties = new { full_name = new { type = "string" }, city = new { type = "string" } } };

        var created = await _client.PostAsJsonAsync("/v1/exports/", new { schema, filters = Filters, export_instructions = "Use the latest city." });
        var id = (await ReadJsonAsync(created)).GetProperty("id").GetString();
        var export = await ReadJsonAsync(await _client.PostAsJsonAsync("/v1/exports/get/", new { memory_export_id = id }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Ana Lima", export.GetProperty("full_name").GetString());
        Assert.Equal("Lisbon", export.GetProperty("city").GetString());
        Assert.False(export.TryGetProperty("_note", out _));
        var call = Assert.Single(_chat.Calls);
        Assert.Equal(ChatResponseFormat.Json, call.Options?.ResponseFormat);
        Assert.Contains("\"full_name\"", call.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("Use the latest city.", call.SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("My name is Ana Lima", call.UserPrompt, StringComparison.Ordinal);
        Assert.Contains("I moved to Lisbon in 2024", call.UserPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateExport_ModelAnswersNotJson_Returns502AndRecordsAFailedEvent()
    {
        _nextReply = "Sorry, I cannot help with that.";

        var created = await _client.PostAsJsonAsync("/v1/exports/", new { schema = new { type = "object" }, filters = Filters });
        var events = await ReadJsonAsync(await _client.GetAsync("/v1/events/?event_type=EXPORT"));

        Assert.Equal(HttpStatusCode.BadGateway, created.StatusCode);
        var failed = Assert.Single(events.GetProperty("results").EnumerateArray());
        Assert.Equal("FAILED", failed.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsJsonAsync("/v1/exports/get/", new { filters = Filters })).StatusCode);
    }

    [Fact]
    public async Task Summary_WithModel_ReturnsOneSummaryItemFromOneCall()
    {
        _nextReply = """{"summary": "Ana Lima lives in Lisbon since 2024.", "highlights": ["Lives in Lisbon", 42]}""";

        var response = await _client.PostAsJsonAsync("/v1/summary/", new { filters = new { user_id = User } });
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var item = Assert.Single(body.EnumerateArray());
        Assert.Equal("Ana Lima lives in Lisbon since 2024.", item.GetProperty("summary").GetString());
        Assert.Equal(["Lives in Lisbon"], item.GetProperty("highlights").EnumerateArray().Select(h => h.GetString()));
        Assert.Equal(2, item.GetProperty("memory_count").GetInt32());
        var call = Assert.Single(_chat.Calls);
        Assert.Contains("My name is Ana Lima", call.UserPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_ModelReplyWithoutSummary_Returns502()
    {
        _nextReply = """{"highlights": []}""";

        var response = await _client.PostAsJsonAsync("/v1/summary/", new { filters = new { user_id = User } });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(JsonValueKind.Object, (await ReadJsonAsync(response)).ValueKind);
    }
}
