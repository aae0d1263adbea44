using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Mem0.Functions.Jobs;

/// <summary><c>POST /v1/memories/import/</c>: delegates to <see cref="ImportEndpoints"/> with the invocation's Durable client.</summary>
public sealed class ImportFunctions(Mem0ApiServices services)
{
    [Function(nameof(ImportMemories))]
    public Task<IResult> ImportMemories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/memories/import/")] HttpRequest request,
        [DurableClient] DurableTaskClient durableClient) =>
        FunctionsDurableClientSource.RunAsync(durableClient, () => ImportEndpoints.ImportAsync(request, services));
}
