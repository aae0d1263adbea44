namespace Mem0.Core.Http;

/// <summary>
/// What one request may carry (README "Limits"). They bound the cost of a request so that no caller can make the
/// service slow for everyone; bulk loads belong on the import endpoint, which stages and runs them as a job.
/// </summary>
public static class RequestLimits
{
    /// <summary>Messages in one add (v1 or v3).</summary>
    public const int MaxMessagesPerAdd = 1000;

    /// <summary>Characters in one message's content (and in one memory's text on update).</summary>
    public const int MaxMessageChars = 32_000;

    /// <summary>Characters of message content in one add, all messages together (413 beyond it).</summary>
    public const int MaxRequestChars = 200_000;

    /// <summary>Nesting levels of a <c>metadata</c> object (the object itself is level 1).</summary>
    public const int MaxMetadataDepth = 16;

    /// <summary>Size of a <c>metadata</c> object as UTF-8 JSON text.</summary>
    public const int MaxMetadataBytes = 64 * 1024;

    /// <summary>Nesting levels of any request body; deeper bodies are refused naming the top-level field.</summary>
    public const int MaxBodyDepth = 64;

    /// <summary>Where bulk loads go instead of one huge add.</summary>
    public const string ImportHint = "For bulk loads use POST /v1/memories/import/ (one staged job).";
}
