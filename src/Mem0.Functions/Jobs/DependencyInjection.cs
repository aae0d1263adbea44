using Mem0.Azure.Jobs;
using Mem0.Core.Jobs;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Functions.Jobs;

public static class DependencyInjection
{
    /// <summary>
    /// Jobs as Durable Functions: the Durable scheduler (instance id = event id) over the invocation's client, adds
    /// serialized on a scope-lock entity, payloads in Blob storage; a timer (<see cref="JobSweepFunction"/>) fails
    /// orphaned events and purges finished instances every 5 minutes.
    /// </summary>
    public static FunctionsApplicationBuilder AddDurableJobs(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddBlobJobPayloads();
        builder.Services.AddDurableJobScheduler<FunctionsDurableClientSource>(
            new JobSchedulingMode(UseEntityLock: true));
        return builder;
    }
}
