namespace Mem0.Core.Events;

/// <summary>The wire <c>event_type</c> of every event this service records (clients filter <c>GET /v1/events/</c> by them).</summary>
public static class EventTypes
{
    /// <summary>An add: inferring (queued) or verbatim (recorded finished).</summary>
    public const string Add = "ADD";

    /// <summary>A delete of a whole scope or entity; while unfinished its payload hides that scope from reads.</summary>
    public const string Delete = "DELETE";

    /// <summary>A bulk import of staged items.</summary>
    public const string Import = "IMPORT";

    /// <summary>A structured export, kept so that fetching it later is a read.</summary>
    public const string Export = "EXPORT";

    /// <summary>Feedback on a memory, kept so that it is never silently dropped.</summary>
    public const string Feedback = "FEEDBACK";
}
