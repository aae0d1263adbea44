using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.Extensions.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Server.Tests;

/// <summary>The real server on Kestrel, bound to a free loopback port, with its own data directory.</summary>
public class ServerFixture : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key";

    private WebApplication? _app;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "mem0-server-tests-" + Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The key generated at first start for the default project.</summary>
    public string ApiKey { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>The host environment; "Development" permits plain-http webhooks to loopback receivers.</summary>
    public string Environment { get; init; } = "Production";

    /// <summary>More command-line settings, e.g. the job backend's (see <see cref="Jobs.AzuriteServerFixture"/>).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public async Task InitializeAsync()
    {
        await StartAsync();
        var bootstrap = await _app!.Services.GetRequiredService<ServerState>().Bootstrap;
        ApiKey = bootstrap.GeneratedApiKey!;
    }

    /// <summary>Stops the server and starts a new one on the same data directory (a process restart, in-process).</summary>
    public async Task RestartAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }

        await StartAsync();
        await _app!.Services.GetRequiredService<ServerState>().Bootstrap;
    }

    private async Task StartAsync()
    {
        _app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={DataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            $"--Mem0:Admin:Key={AdminKey}",
            "--Logging:LogLevel:Default=Warning",
            $"--environment={Environment}",
            .. ExtraArguments,
        ],
        // Fast deterministic vectors for plumbing tests; the real MiniLM model is exercised by the Local tests.
        builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator()));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
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
            // Best effort: a leftover temp directory is harmless.
        }
    }

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", apiKey ?? ApiKey);
        return client;
    }

    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Add("X-Mem0-Admin-Key", AdminKey);
        return client;
    }

    /// <summary>Creates another project through the admin API and returns its id and a key for it.</summary>
    public async Task<(string ProjectId, string ApiKey)> CreateProjectAsync(string name)
    {
        using var admin = AdminClient();
        var project = await ReadJsonAsync(await admin.PostAsJsonAsync("/v1/admin/projects/", new { name }));
        var projectId = project.GetProperty("project_id").GetString()!;
        var key = await ReadJsonAsync(await admin.PostAsJsonAsync($"/v1/admin/projects/{projectId}/api-keys/", new { name = "test" }));
        return (projectId, key.GetProperty("key").GetString()!);
    }

    /// <summary>
    /// Waits until the job behind an event has finished: it is no longer queued in the server's job lane and its Durable
    /// instance (id = event id) has ended or, as the lane purges it at the end, is gone.
    /// </summary>
    public async Task WaitForJobAsync(string eventId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var lane = Services.GetRequiredService<Mem0.Core.Jobs.IJobStarter>();
        var durable = Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
        while (lane.IsWaiting(eventId) || await durable.GetInstanceAsync(eventId, timeout.Token) is { IsCompleted: false })
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json",
            $"Expected JSON from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} ({(int)response.StatusCode}), got '{response.Content.Headers.ContentType}': {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}
