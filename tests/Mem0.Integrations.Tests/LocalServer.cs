using System.Net.Http.Headers;
using System.Text.Json;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Integrations.Tests;

/// <summary>
/// The local server as shipped (SQLite, in-process jobs, heuristic extraction) on Kestrel, bound to a free 127.0.0.1
/// port with its own data directory. Clients reach it over real HTTP only.
/// </summary>
public sealed class LocalServer : IAsyncLifetime
{
    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "mem0-integrations-" + Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The key the server generated for its default project at first start.</summary>
    public string ApiKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={DataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            "--Logging:LogLevel:Default=Warning",
        ],
        // Deterministic word-hashing vectors: these tests are about the wire, not about embedding quality.
        builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator()));
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        ApiKey = (await _app.Services.GetRequiredService<ServerState>().Bootstrap).GeneratedApiKey!;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>An <see cref="HttpClient"/> set up the way the providers document: base address plus <c>Token</c> header.</summary>
    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", apiKey ?? ApiKey);
        return client;
    }

    /// <summary>
    /// Waits, over the public events API, until no job of the project is pending or running: the providers add
    /// through the asynchronous <c>POST /v1/memories/</c>, as on the platform.
    /// </summary>
    public async Task WaitForJobsAsync()
    {
        using var client = Client();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await CountEventsAsync(client, "PENDING", timeout.Token) + await CountEventsAsync(client, "RUNNING", timeout.Token) > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    private static async Task<int> CountEventsAsync(HttpClient client, string status, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"/v1/events/?status={status}&page_size=1", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("count").GetInt32();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalServerCollection : ICollectionFixture<LocalServer>
{
    public const string Name = "local server";
}
