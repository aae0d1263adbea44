using Mem0.Core.AI;
using Mem0.Core.Jobs;

namespace Mem0.Core.Observability;

/// <summary>The names of every ActivitySource and Meter the hosts export, in one place.</summary>
public static class Mem0Telemetry
{
    /// <summary>
    /// Our own sources (jobs, model calls) and the Cosmos DB SDK's operation spans (enabled on the client by
    /// <c>CosmosClientTelemetryOptions</c>). Storage and OpenAI calls are seen through the HttpClient instrumentation.
    /// </summary>
    public static readonly string[] TraceSources = [JobTelemetry.SourceName, AiClientPipeline.TelemetrySourceName, "Azure.Cosmos.Operation"];

    /// <summary>Our meters: model-call token usage and durations, Cosmos DB request charges.</summary>
    public static readonly string[] Meters = ["Mem0.*"];
}
