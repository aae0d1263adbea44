using Mem0.Azure.Cosmos;
using Mem0.Azure.Jobs;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Functions.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mem0.Functions.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// Jobs as Durable Functions: the Durable scheduler (instance id = event id) over the invocation's client, adds
    /// serialized on a scope-lock entity, payloads in Blob storage; a timer (<see cref="JobSweepFunction"/>) fails
    /// orphaned events and purges finished instances once an hour, and another (<see cref="ReembedMemoriesFunction"/>)
    /// re-embeds memories of a previous embedding model.
    /// </summary>
    public static FunctionsApplicationBuilder AddDurableJobs(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddBlobJobPayloads();
        builder.Services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<CosmosMemoryStore>();
            return new MemoryReembedder(
                store,
                store.ListEmbeddedByOtherModelsAsync,
                sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(),
                sp.GetRequiredService<ILogger<MemoryReembedder>>());
        });
        builder.Services.AddDurableJobScheduler<FunctionsDurableClientSource>(
            new JobSchedulingMode(UseEntityLock: true));
        builder.Services.AddSingleton<IJobStarter, ImmediateJobStarter>();

        // The host refuses bodies above its own limit before the import route runs; an import limit above it would
        // promise what the host then cuts off with a bare 413, so the app never claims more than the host lets through.
        builder.Services.AddOptions<JobsOptions>().PostConfigure<IConfiguration>((jobs, configuration) =>
            jobs.MaxImportBytes = Math.Min(jobs.MaxImportBytes, FunctionsHostLimits.MaxRequestBodyBytes(configuration)));
        return builder;
    }
}
