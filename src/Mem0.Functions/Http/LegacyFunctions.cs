using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>The v1/v2 paths older clients still call. Each function delegates to <see cref="LegacyEndpoints"/>, the handler the local server maps too.</summary>
public sealed class LegacyFunctions
{
    private readonly Mem0ApiServices _services;

    public LegacyFunctions(Mem0ApiServices services)
    {
        _services = services;
    }

    [Function(nameof(AddMemoriesV1))]
    public Task<IResult> AddMemoriesV1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/memories/")] HttpRequest request) =>
        LegacyEndpoints.AddV1Async(request, _services);

    [Function(nameof(SearchMemoriesV1))]
    public Task<IResult> SearchMemoriesV1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/memories/search/")] HttpRequest request) =>
        LegacyEndpoints.SearchV1Async(request, _services);

    [Function(nameof(ListMemoriesV1))]
    public Task<IResult> ListMemoriesV1(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/memories/")] HttpRequest request) =>
        LegacyEndpoints.ListV1Async(request, _services);

    [Function(nameof(SearchMemoriesV2))]
    public Task<IResult> SearchMemoriesV2(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v2/memories/search/")] HttpRequest request) =>
        LegacyEndpoints.SearchV2Async(request, _services);

    [Function(nameof(ListMemoriesV2))]
    public Task<IResult> ListMemoriesV2(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v2/memories/")] HttpRequest request) =>
        LegacyEndpoints.ListV2Async(request, _services);
}
