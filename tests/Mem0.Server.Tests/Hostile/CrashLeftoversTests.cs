using System.Diagnostics;
using System.Net.Http.Json;
using Mem0.Core.Events;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Server.Tests.Hostile;

/// <summary>Issue 13: a crash leaves no user content behind, and a damaged database stops the server with a plain message.</summary>
public sealed class CrashLeftoversTests : IDisposable
{
    private const string Key = "m0-crash-test-key-0123456789";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-crash-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Restart_StagedPayloadsOfInterruptedEndedAndUnknownJobs_AreDeleted()
    {
        var jobs = Path.Combine(_dataDirectory, "jobs");
        string projectId;
        await using (var first = await StartInProcessAsync())
        {
            projectId = (await first.Services.GetRequiredService<ServerState>().Bootstrap).Project.ProjectId;
            var events = first.Services.GetRequiredService<IEventStore>();
            var now = DateTimeOffset.UtcNow;
            foreach (var (id, status) in new[] { ("interrupted", EventStatus.Running), ("pending", EventStatus.Pending), ("ended", EventStatus.Succeeded) })
            {
                await events.CreateAsync(new MemoryEvent { Id = id, ProjectId = projectId, EventType = "IMPORT", Status = status, CreatedAt = now, UpdatedAt = now });
            }

            await first.StopAsync();
        }

        // What a kill -9 leaves: the staged files of jobs that never ran their clean-up, and one staged before its event.
        foreach (var eventId in new[] { "interrupted", "pending", "ended", "never-recorded" })
        {
            Directory.CreateDirectory(Path.Combine(jobs, projectId, eventId));
            await File.WriteAllTextAsync(Path.Combine(jobs, projectId, eventId, "000000.json"), "[{\"memory\":\"private text\"}]");
        }

        await using var second = await StartInProcessAsync();

        Assert.Empty(Directory.EnumerateFiles(jobs, "*", SearchOption.AllDirectories));
        Assert.Equal(EventStatus.Failed, (await second.Services.GetRequiredService<IEventStore>().GetAsync(projectId, "pending"))!.Status);
        await second.StopAsync();
    }

    [Fact]
    public async Task Restart_AfterKill9DuringImport_LeavesNoStagedFiles()
    {
        var port = FreePort();
        using (var server = StartProcess(port))
        {
            using var client = await WaitForServerAsync(port, server);
            var items = Enumerable.Range(0, 3000).Select(i => new { memory = $"private fact number {i} about the user", user_id = "victim" });
            var accepted = await client.PostAsJsonAsync("/v1/memories/import/", items);
            Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        using (var restarted = StartProcess(port))
        {
            using var client = await WaitForServerAsync(port, restarted);
            var jobs = Path.Combine(_dataDirectory, "jobs");
            Assert.True(!Directory.Exists(jobs) || !Directory.EnumerateFiles(jobs, "*", SearchOption.AllDirectories).Any());
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Start_NotADatabase_ExitsWithCode4NamingTheFileWithoutAStackTrace()
    {
        Directory.CreateDirectory(_dataDirectory);
        var file = Path.Combine(_dataDirectory, "mem0.db");
        await File.WriteAllTextAsync(file, new string('x', 8192));

        var (exitCode, output) = await RunToExitAsync();

        Assert.Equal(ServerApp.DatabaseUnusableExitCode, exitCode);
        Assert.Contains(file, output, StringComparison.Ordinal);
        Assert.Contains("backup", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_TruncatedDatabase_ExitsWithCode4SayingItIsTruncated()
    {
        await using (var app = await StartInProcessAsync())
        {
            var key = Key;
            using var client = new HttpClient { BaseAddress = Address(app) };
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", key);
            var messages = Enumerable.Range(0, 200).Select(i => new { role = "user", content = $"fact {i} " + new string('z', 400) });
            (await client.PostAsJsonAsync("/v3/memories/add/", new { messages, user_id = "t", infer = false })).EnsureSuccessStatusCode();
            await app.StopAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var file = Path.Combine(_dataDirectory, "mem0.db");
        foreach (var sidecar in new[] { file + "-wal", file + "-shm" })
        {
            File.Delete(sidecar);
        }

        await using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var (exitCode, output) = await RunToExitAsync();

        Assert.Equal(ServerApp.DatabaseUnusableExitCode, exitCode);
        Assert.Contains("truncated", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }

    private async Task<(int ExitCode, string Output)> RunToExitAsync()
    {
        using var process = StartProcess(FreePort());
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private Process StartProcess(int port)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Mem0.Server.dll"),
            "--urls", $"http://127.0.0.1:{port}",
            $"--Mem0:Server:DataDirectory={_dataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["MEM0_API_KEY"] = Key;
        return Process.Start(info)!;
    }

    private static async Task<HttpClient> WaitForServerAsync(int port, Process process)
    {
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", Key);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            Assert.False(process.HasExited, "the server process exited early");
            try
            {
                if ((await client.GetAsync("/v1/ping/", timeout.Token)).IsSuccessStatusCode)
                {
                    return client;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    private async Task<WebApplication> StartInProcessAsync()
    {
        var app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={_dataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            $"--Mem0:Server:ApiKey={Key}",
            "--Logging:LogLevel:Default=Warning",
        ],
        builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator()));
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
