using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Memory add, search, list, get, update, delete and history. Each function delegates to <see cref="MemoryEndpoints"/>, the handler the local server maps too.</summary>
public sealed class MemoryFunctions
{
    private readonly Mem0ApiServices _services;

    public MemoryFunctions(Mem0ApiServices services)
    {
        _services = services;
    }

    [Function(nameof(AddMemories))]
    public Task<IResult> AddMemories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/memories/add/")] HttpRequest request) =>
        MemoryEndpoints.AddAsync(request, _services);

    [Function(nameof(SearchMemories))]
    public Task<IResult> SearchMemories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/memories/search/")] HttpRequest request) =>
        MemoryEndpoints.SearchAsync(request, _services);

    [Function(nameof(ListMemories))]
    public Task<IResult> ListMemories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/memories/")] HttpRequest request) =>
        MemoryEndpoints.ListAsync(request, _services);

    [Function(nameof(GetMemory))]
    public Task<IResult> GetMemory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/memories/{memoryId}/")] HttpRequest request,
        string memoryId) =>
        MemoryEndpoints.GetAsync(request, memoryId, _services);

    [Function(nameof(UpdateMemory))]
    public Task<IResult> UpdateMemory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "v1/memories/{memoryId}/")] HttpRequest request,
        string memoryId) =>
        MemoryEndpoints.UpdateAsync(request, memoryId, _services);

    [Function(nameof(DeleteMemory))]
    public Task<IResult> DeleteMemory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/memories/{memoryId}/")] HttpRequest request,
        string memoryId) =>
        MemoryEndpoints.DeleteAsync(request, memoryId, _services);

    [Function(nameof(DeleteAllMemories))]
    public Task<IResult> DeleteAllMemories(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/memories/")] HttpRequest request) =>
        MemoryEndpoints.DeleteAllAsync(request, _services);

    [Function(nameof(GetMemoryHistory))]
    public Task<IResult> GetMemoryHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/memories/{memoryId}/history/")] HttpRequest request,
        string memoryId) =>
        MemoryEndpoints.HistoryAsync(request, memoryId, _services);
}
