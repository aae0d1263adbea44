using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Batch update and delete of memories. Each function delegates to <see cref="BatchEndpoints"/>, the handler the local server maps too.</summary>
public sealed class BatchFunctions
{
    private readonly Mem0ApiServices _services;

    public BatchFunctions(Mem0ApiServices services)
    {
        _services = services;
    }

    [Function(nameof(BatchUpdateMemories))]
    public Task<IResult> BatchUpdateMemories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/batch/")] HttpRequest request) =>
        BatchEndpoints.UpdateAsync(request, _services);

    [Function(nameof(BatchDeleteMemories))]
    public Task<IResult> BatchDeleteMemories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/batch/")] HttpRequest request) =>
        BatchEndpoints.DeleteAsync(request, _services);
}
