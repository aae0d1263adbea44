using Mem0.Core.Common;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary><c>POST /v1/feedback/</c>: validated and acknowledged. Feedback does not yet change ranking, so it is not stored.</summary>
public static class FeedbackEndpoints
{
    private static readonly string[] Allowed = ["POSITIVE", "NEGATIVE", "VERY_NEGATIVE"];

    public static Task<IResult> CreateAsync(HttpRequest request, Mem0ApiServices services) =>
        EndpointRunner.RunAsync(request, ErrorKey.Error, async (caller, ct) =>
        {
            var body = await JsonBody.ReadAsync(request);
            var memoryId = body.GetString("memory_id") is { Length: > 0 } id
                ? id
                : throw new ValidationException("memory_id", "'memory_id' is required.");
            var feedback = body.GetString("feedback")?.Trim().ToUpperInvariant();
            if (feedback is not null && !Allowed.Contains(feedback, StringComparer.Ordinal))
            {
                throw new ValidationException("feedback", "'feedback' must be POSITIVE, NEGATIVE, VERY_NEGATIVE or null.");
            }

            // The memory must exist in the caller's project (404 otherwise).
            await services.Memories.GetAsync(caller.ProjectId, memoryId, ct);
            return EndpointRunner.Json(new FeedbackDto(Mem0ApiServices.NewId(), feedback, body.GetString("feedback_reason")));
        });
}

public sealed record FeedbackDto(string Id, string? Feedback, string? FeedbackReason);
