using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Mem0.Server.Tests.Webhooks;

/// <summary>
/// The built Mem0.Server as a real child process (<c>dotnet Mem0.Server.dll</c>) on a free 127.0.0.1 port with its own
/// data directory, so a test can kill it with SIGKILL at any moment and start another on the same data. It runs in the
/// Development environment, the documented way to let webhooks reach loopback receivers
/// (<c>Mem0:Webhooks:AllowLoopbackInDevelopment</c>, true by default, is honoured only there).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string ApiKey = "webhook-process-test-key";

    /// <summary>One model cache for every test process: the MiniLM files are extracted once, not per data directory.</summary>
    private static readonly string ModelCache = Path.Combine(Path.GetTempPath(), "mem0-server-process-tests-models");

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", ApiKey);
    }

    public Uri BaseAddress { get; }

    /// <summary>Authenticated with <see cref="ApiKey"/>, the default project's key.</summary>
    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts the server and waits until it answers; <paramref name="settings"/> are passed as <c>--Key=Value</c>.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Mem0.Server.dll"));
        foreach (var argument in new[]
        {
            "--urls", $"http://127.0.0.1:{port}",
            $"--Mem0:Server:DataDirectory={dataDirectory}",
            $"--Mem0:AI:Local:CacheDirectory={ModelCache}",
            "--Mem0:Server:PrintBanner=false",
            "--environment=Development",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["MEM0_API_KEY"] = ApiKey;
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("AzureWebJobsStorage");
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like <c>kill -9</c>.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        Client.Dispose();
        await Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var response = await Client.GetAsync("/v1/ping/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Kill();
        throw new InvalidOperationException($"The server did not answer within a minute:\n{Output()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
