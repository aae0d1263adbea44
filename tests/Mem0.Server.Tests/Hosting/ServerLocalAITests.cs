using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Local.Embeddings;
using Mem0.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Mem0.Server.Tests.Hosting;

/// <summary>The server as shipped: SQLite and the real MiniLM model, end to end over HTTP.</summary>
public sealed class ServerLocalAITests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-server-minilm-" + Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={_dataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
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
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public void Build_Defaults_UsesTheLocalModelCachedUnderTheDataDirectory()
    {
        var generator = _app.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var options = _app.Services.GetRequiredService<IOptions<LocalEmbeddingOptions>>().Value;

        Assert.IsType<LocalEmbeddingGenerator>(generator);
        Assert.Equal(Path.Combine(Path.GetFullPath(_dataDirectory), "models"), options.CacheDirectory);
    }

    [Fact]
    public async Task Search_StoredFactsWithTheLocalModel_RanksTheMatchingFactFirst()
    {
        string[] facts = ["I live in Lisbon, Portugal.", "I am allergic to peanuts.", "My favourite sport is tennis."];
        foreach (var fact in facts)
        {
            var add = await _client.PostAsJsonAsync("/v3/memories/add/", new
            {
                messages = new[] { new { role = "user", content = fact } },
                user_id = "alice",
                infer = false,
            });
            Assert.True(add.IsSuccessStatusCode, await add.Content.ReadAsStringAsync());
        }

        var response = await _client.PostAsJsonAsync("/v3/memories/search/", new
        {
            query = "Which city does the user live in?",
            filters = new { user_id = "alice" },
            threshold = 0.0,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);

        using var json = JsonDocument.Parse(body);
        var top = json.RootElement.GetProperty("results").EnumerateArray().First();
        Assert.Equal("I live in Lisbon, Portugal.", top.GetProperty("memory").GetString());
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "models", "snowflake-arctic-embed-xs-24.9.52193", "model.onnx")));
    }
}
