using System.Collections.Concurrent;
using System.Net;
using Mem0.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mem0.Server.Tests.Observability;

/// <summary>OTLP export is off by default and, with OTEL_EXPORTER_OTLP_ENDPOINT set, reaches a local collector.</summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mem0-server-otlp-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<(string Path, string? ContentType)> _received = new();
    private WebApplication _collector = null!;
    private Uri _collectorUri = null!;

    public async Task InitializeAsync()
    {
        // A stand-in OTLP/HTTP collector on loopback: accepts every export and records where it went.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _collector = builder.Build();
        _collector.Run(context =>
        {
            _received.Enqueue((context.Request.Path.Value ?? "", context.Request.ContentType));
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        await _collector.StartAsync();
        _collectorUri = new Uri(_collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        await _collector.StopAsync();
        await _collector.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Server_OtlpEndpointSetting_ExportsTracesOnlyWhenSet(bool configured)
    {
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={_dataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            "--Logging:LogLevel:Default=Warning",
        };
        if (configured)
        {
            args.Add($"--OTEL_EXPORTER_OTLP_ENDPOINT={_collectorUri}");
            args.Add("--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
        }

        var app = ServerApp.Build([.. args], builder => builder.Services.AddSingleton<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>(new Mem0.Testing.AI.HashingEmbeddingGenerator()));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using (var client = new HttpClient { BaseAddress = new Uri(address) })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/ping/")).StatusCode);
        }

        // Stopping the host flushes the batch exporters.
        await app.StopAsync();
        await app.DisposeAsync();

        if (configured)
        {
            Assert.Contains(_received, r => r.Path == "/v1/traces" && r.ContentType == "application/x-protobuf");
        }
        else
        {
            Assert.Empty(_received);
        }
    }
}
