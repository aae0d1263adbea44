using Mem0.Core.Http;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

namespace Mem0.Functions.Http;

public static class DependencyInjection
{
    /// <summary>The Mem0 API on the Functions worker: ASP.NET Core integration, the engine, the Core handlers and the auth/error middleware.</summary>
    public static FunctionsApplicationBuilder AddMem0FunctionsApi(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<Mem0HttpMiddleware>();
        builder.Services.AddMemoryEngine();

        // Adds run inline until a durable scheduler is registered before this call (TryAdd: the durable one wins).
        builder.Services.AddInlineJobs();
        builder.Services.AddMem0Api();
        return builder;
    }
}
