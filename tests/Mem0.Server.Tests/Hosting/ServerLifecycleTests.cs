using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Hosting;

public sealed class ServerLifecycleTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-lifecycle-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Restart_SameDataDirectory_KeepsKeyAndMemories()
    {
        string key;
        string memoryId;
        await using (var first = await StartAsync(_dataDirectory))
        {
            key = (await first.App.Services.GetRequiredService<ServerState>().Bootstrap).GeneratedApiKey!;
            using var client = Client(first.Address, key);
            var added = await ReadJsonAsync(await client.PostAsJsonAsync("/v3/memories/add/", new { messages = "I live in Lisbon", user_id = "alice", infer = false }));
            memoryId = added.GetProperty("results")[0].GetProperty("id").GetString()!;
            await first.App.StopAsync();
        }

        await using var second = await StartAsync(_dataDirectory);
        var bootstrap = await second.App.Services.GetRequiredService<ServerState>().Bootstrap;
        using var again = Client(second.Address, key);
        var memory = await ReadJsonAsync(await again.GetAsync($"/v1/memories/{memoryId}/"));

        Assert.Null(bootstrap.GeneratedApiKey);
        Assert.False(bootstrap.ProjectCreated);
        Assert.Equal("I live in Lisbon", memory.GetProperty("memory").GetString());
    }

    [Fact]
    public async Task ConfiguredApiKey_IsAcceptedAndNothingIsGenerated()
    {
        await using var server = await StartAsync(_dataDirectory, "--MEM0_API_KEY=m0-my-own-key");
        var bootstrap = await server.App.Services.GetRequiredService<ServerState>().Bootstrap;
        using var client = Client(server.Address, "m0-my-own-key");

        var response = await client.GetAsync("/v1/ping/");

        Assert.Null(bootstrap.GeneratedApiKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Run_PortTaken_ExitsWithCode3()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var app = Build(_dataDirectory, $"http://127.0.0.1:{port}");

        var exitCode = await app.RunServerAsync();

        Assert.Equal(3, exitCode);
    }

    [Fact]
    public async Task Run_DataDirectoryNotWritable_ExitsWithCode2()
    {
        Directory.CreateDirectory(_dataDirectory);
        var blocker = Path.Combine(_dataDirectory, "a-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        await using var app = Build(Path.Combine(blocker, "data"), "http://127.0.0.1:0");

        var exitCode = await app.RunServerAsync();

        Assert.Equal(2, exitCode);
    }

    private static WebApplication Build(string dataDirectory, string url, params string[] extra) =>
        ServerApp.Build(
            [
                "--urls", url,
                $"--Mem0:Server:DataDirectory={dataDirectory}",
                "--Mem0:Server:PrintBanner=false",
                "--Logging:LogLevel:Default=Warning",
                .. extra,
            ],
            builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator()));

    private static async Task<RunningServer> StartAsync(string dataDirectory, params string[] extra)
    {
        var app = Build(dataDirectory, "http://127.0.0.1:0", extra);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, new Uri(address));
    }

    private static HttpClient Client(Uri address, string key)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        return client;
    }

    private sealed record RunningServer(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await App.StopAsync();
            }
            finally
            {
                await App.DisposeAsync();
            }
        }
    }
}
