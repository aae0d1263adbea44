using System.Diagnostics;

namespace Mem0.Core.Jobs;

/// <summary>
/// Spans of the jobs, on both hosts: one when a job is scheduled and one per activity execution. Activities run once per
/// attempt, unlike orchestrator code, which replays; so orchestrations are traced through their activities. Tags carry
/// ids and counts only, never memory text.
/// </summary>
public static class JobTelemetry
{
    public const string SourceName = "Mem0.Jobs";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Starts the span of one activity execution (null when nobody listens).</summary>
    public static Activity? StartActivity(string activityName, string projectId, string? eventId = null)
    {
        var activity = Source.StartActivity($"job.activity {activityName}", ActivityKind.Internal);
        activity?.SetTag("mem0.job.activity", activityName);
        activity?.SetTag("mem0.project_id", projectId);
        if (eventId is not null)
        {
            activity?.SetTag("mem0.event_id", eventId);
        }

        return activity;
    }

    /// <summary>Starts the span of scheduling an orchestration (the event id is its instance id).</summary>
    public static Activity? StartSchedule(string orchestrationName, string projectId, string eventId)
    {
        var activity = Source.StartActivity($"job.schedule {orchestrationName}", ActivityKind.Producer);
        activity?.SetTag("mem0.job.orchestration", orchestrationName);
        activity?.SetTag("mem0.project_id", projectId);
        activity?.SetTag("mem0.event_id", eventId);
        return activity;
    }
}
