using Mem0.Core.Events;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary><c>GET /v1/events/</c> and <c>GET /v1/event/{eventId}/</c> (singular; contract §3.11).</summary>
public static class EventEndpoints
{
    public static Task<IResult> ListAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var page = PageRequest.From(request, null, defaultPageSize: 50);
            EventStatus? status = RequestParsing.Query(request, "status") is { } s ? EventLog.ParseStatus(s) : null;
            var result = await services.Events.ListAsync(
                caller.ProjectId, new EventListQuery(page.Page, page.PageSize, status, RequestParsing.Query(request, "event_type")), ct);
            var next = page.Page * page.PageSize < result.TotalCount ? page.Link(request, page.Page + 1, null) : null;
            var previous = page.Page > 1 ? page.Link(request, page.Page - 1, null) : null;
            return EndpointRunner.Json(new PageDto<EventDto>(result.TotalCount, next, previous, [.. result.Items.Select(EventDto.From)]));
        });

    public static Task<IResult> GetAsync(HttpRequest request, string eventId, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var id = RequestParsing.DecodeSegment(request, eventId, "event_id");
            var memoryEvent = await services.Events.GetAsync(caller.ProjectId, id, ct);
            return EndpointRunner.Json(EventDto.From(memoryEvent));
        });
}
