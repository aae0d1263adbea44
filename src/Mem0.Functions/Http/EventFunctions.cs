using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Mem0.Functions.Http;

/// <summary>Events (jobs) a client polls. Each function delegates to <see cref="EventEndpoints"/>, the handler the local server maps too.</summary>
public sealed class EventFunctions
{
    private readonly Mem0ApiServices _services;

    public EventFunctions(Mem0ApiServices services)
    {
        _services = services;
    }

    [Function(nameof(ListEvents))]
    public Task<IResult> ListEvents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/events/")] HttpRequest request) =>
        EventEndpoints.ListAsync(request, _services);

    [Function(nameof(GetEvent))]
    public Task<IResult> GetEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/event/{eventId}/")] HttpRequest request,
        string eventId) =>
        EventEndpoints.GetAsync(request, eventId, _services);
}
