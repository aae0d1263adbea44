using Mem0.Core.Memories;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>
/// <c>POST /v1/feedback/</c>: validated, then kept as a <c>FEEDBACK</c> event in the caller's project (the event
/// store already isolates projects), so feedback is never silently dropped. The answer's id is the event's id.
/// Feedback does not change ranking yet.
/// </summary>
public static class FeedbackEndpoints
{
    public static Task<IResult> CreateAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var recorded = await services.Memories.RecordFeedbackAsync(caller.ProjectId, body.Bind<FeedbackRequestBody>().ToInput(body.Root), ct);
            return EndpointRunner.Json(new FeedbackDto(recorded.Id, recorded.Feedback, recorded.FeedbackReason));
        });
}

public sealed record FeedbackDto(string Id, string? Feedback, string? FeedbackReason);

/// <summary>The stored feedback as an event result item (<c>results[]</c> like every event).</summary>
public sealed record FeedbackResultDto(string Id, string Event, string? Feedback, string? FeedbackReason);
