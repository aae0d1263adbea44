using Mem0.Azure.AI;
using Mem0.Azure.Cosmos;
using Mem0.Core.Hosting;
using Mem0.Core.Mcp;
using Mem0.Functions.Http;
using Mem0.Functions.Jobs;
using Mem0.Functions.Observability;
using Mem0.Functions.Webhooks;
using Microsoft.Azure.Functions.Worker.Builder;

namespace Mem0.Functions;

/// <summary>The Functions host's table of contents, shared by Program.cs and the wiring test.</summary>
public static class FunctionsApp
{
    public static FunctionsApplicationBuilder AddMem0Functions(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseValidatedContainer();                           // a missing adapter fails Build(), naming it
        builder.AddFunctionsObservability();                       // OpenTelemetry (Azure Monitor when configured), readiness
        builder.AddCosmosStores();                                 // Mem0:Cosmos: memories + outbox, events, projects, webhooks
        builder.AddAzureOpenAI();                                  // Mem0:AI, keyless Azure OpenAI
        builder.AddMem0FunctionsApi();                             // Core: engine, handlers, auth/error middleware (no adapters)
        builder.Services.AddMem0Mcp();                             // /mcp (stateless Streamable HTTP), the memory tools
        builder.AddDurableJobs();                                  // Durable scheduler, scope-lock entity, Mem0:Jobs blob payloads
        builder.AddFunctionsWebhooks();                            // Storage queue (the queue trigger delivers), Blob key ring
        return builder;
    }
}
