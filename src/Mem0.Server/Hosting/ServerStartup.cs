using Mem0.Core.AI;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Mem0.Server.Hosting;

/// <summary>Creates the default project and key before requests are served, then prints how to call the server.</summary>
internal sealed partial class ServerStartup(
    ProjectBootstrapper bootstrapper,
    ServerState state,
    IOptions<ServerOptions> options,
    IOptions<AiOptions> ai,
    Mem0.Local.Jobs.LocalJobBackend jobs,
    MemoryService memories,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<ServerStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        BootstrapResult result;
        try
        {
            result = await bootstrapper.EnsureDefaultProjectAsync(options.Value.ApiKey, cancellationToken);
            state.SetBootstrap(result);
        }
        catch (Exception ex)
        {
            state.FailBootstrap(ex);
            throw;
        }

        if (memories.Extractor == ExtractorKind.Llm)
        {
            LogLlm(logger, ai.Value.Provider.ToString(), ai.Value.ChatModel ?? "(default model)");
        }
        else
        {
            LogNoLlm(logger);
        }

        lifetime.ApplicationStarted.Register(() => PrintBanner(result));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void PrintBanner(BootstrapResult result)
    {
        if (!options.Value.PrintBanner)
        {
            return;
        }

        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? ServerOptions.DefaultUrl;
        var key = result.GeneratedApiKey ?? "$MEM0_API_KEY";
        var lines = new List<string>
        {
            "",
            $"Mem0 server listening on {url}",
            $"  data directory : {options.Value.FullDataDirectory}",
            $"  project        : {result.Project.ProjectId} (org {result.Project.OrgId})",
            jobs.Durable
                ? "  jobs           : Azure Storage (AzureWebJobsStorage): interrupted jobs resume at the next start"
                : "  jobs           : in memory: a restart fails the jobs in flight (set AzureWebJobsStorage to resume them)",
        };
        if (result.GeneratedApiKey is not null)
        {
            lines.Add($"  API key        : {result.GeneratedApiKey}");
            lines.Add("                   (generated now and shown only once: keep it, or set MEM0_API_KEY to choose your own)");
        }
        else if (result.ConfiguredKeyAdded || !string.IsNullOrWhiteSpace(options.Value.ApiKey))
        {
            lines.Add("  API key        : the one in MEM0_API_KEY");
        }
        else
        {
            lines.Add("  API key        : the key printed at first start (or create one with the admin API)");
        }

        lines.Add("");
        lines.Add("Try it:");
        lines.Add($"  curl -s {url}/v1/ping/ -H \"Authorization: Token {key}\"");
        lines.Add($"  curl -s {url}/v3/memories/add/ -H \"Authorization: Token {key}\" -H 'Content-Type: application/json' \\");
        lines.Add("       -d '{\"messages\":[{\"role\":\"user\",\"content\":\"I live in Lisbon\"}],\"user_id\":\"alice\"}'");
        lines.Add($"  SDKs: MemoryClient(api_key=..., host=\"{url}\")   CLI: MEM0_BASE_URL={url}");
        lines.Add("");
        Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "no LLM configured: using the heuristic extractor (ADD/NONE only). Set Mem0:AI:Provider, Mem0:AI:Endpoint and Mem0:AI:ChatModel to use a language model.")]
    private static partial void LogNoLlm(ILogger logger);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "LLM: {Provider} with model {Model}")]
    private static partial void LogLlm(ILogger logger, string provider, string model);
}
