using Mem0.Core.AI;
using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Client initialisation (<c>GET /v1/ping/</c>). Each function delegates to <see cref="PingEndpoints"/>, the handler the local server maps too.</summary>
public sealed class PingFunctions
{
    private readonly Mem0ApiServices _services;
    private readonly ServiceRuntime? _runtime;

    public PingFunctions(Mem0ApiServices services, ServiceRuntime? runtime = null)
    {
        _services = services;
        _runtime = runtime;
    }

    [Function(nameof(Ping))]
    public Task<IResult> Ping(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/ping/")] HttpRequest request) =>
        PingEndpoints.PingAsync(request, _services, _runtime);
}
