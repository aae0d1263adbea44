using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Events;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Http;

/// <summary>
/// <c>POST /v1/feedback/</c>: validated, then kept as a <c>FEEDBACK</c> event in the caller's project (the event
/// store already isolates projects), so feedback is never silently dropped. The answer's id is the event's id.
/// Feedback does not change ranking yet.
/// </summary>
public static class FeedbackEndpoints
{
    public const string FeedbackEventType = "FEEDBACK";

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
            var dto = new FeedbackDto(Mem0ApiServices.NewId(), feedback, body.GetString("feedback_reason"));
            var now = services.Now;
            await services.Events.CreateAsync(
                new MemoryEvent
                {
                    Id = dto.Id,
                    ProjectId = caller.ProjectId,
                    EventType = FeedbackEventType,
                    Status = EventStatus.Succeeded,
                    Payload = body.Root,
                    Results = JsonSerializer.SerializeToElement(
                        new[] { new FeedbackResultDto(memoryId, FeedbackEventType, dto.Feedback, dto.FeedbackReason) }, Mem0Json.Options),
                    CreatedAt = now,
                    UpdatedAt = now,
                    StartedAt = now,
                    CompletedAt = now,
                },
                ct);
            return EndpointRunner.Json(dto);
        });
}

public sealed record FeedbackDto(string Id, string? Feedback, string? FeedbackReason);

/// <summary>The stored feedback as an event result item (<c>results[]</c> like every event).</summary>
public sealed record FeedbackResultDto(string Id, string Event, string? Feedback, string? FeedbackReason);
