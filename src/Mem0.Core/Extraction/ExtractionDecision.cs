using Mem0.Core.Memories;

namespace Mem0.Core.Extraction;

/// <summary>
/// One operation proposed by an extractor. <see cref="Id"/> is the short id the extractor was shown
/// ("0", "1", ...), never a stored memory id.
/// </summary>
public sealed record ExtractionDecision(MemoryOperation Event, string? Id, string? Text, IReadOnlyList<string> Categories);

/// <summary>What an extractor returned, with the cost of getting it.</summary>
public sealed record ExtractionOutcome(IReadOnlyList<ExtractionDecision> Decisions, int LlmCalls, long PromptTokens);
