using System.Text;
using Mem0.Core.Memories;

namespace Mem0.Core.Extraction;

/// <summary>
/// The no-LLM stand-in: turns the user's messages into candidate facts, one per statement sentence. For an agent's own
/// memories (<c>agentPerspective</c>) the assistant's messages count too, as agent frameworks store an agent's replies
/// with only its agent id. Deterministic; questions, very short fragments and pleasantries are skipped. Deduplication
/// against existing memories happens in the add pipeline by embedding similarity.
/// </summary>
public static class HeuristicFactSplitter
{
    private const int MinimumWords = 3;

    private static readonly HashSet<string> Pleasantries = new(StringComparer.OrdinalIgnoreCase)
    {
        "hi", "hello", "hey", "thanks", "thank you", "thanks a lot", "ok", "okay", "bye", "goodbye", "good morning",
        "good evening", "good night", "sure", "great", "cool",
    };

    public static IReadOnlyList<string> Split(IEnumerable<InputMessage> messages, bool agentPerspective = false)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var facts = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var message in messages)
        {
            if (!IsSource(message.Role, agentPerspective))
            {
                continue;
            }

            foreach (var sentence in Sentences(message.Content))
            {
                if (IsFact(sentence) && seen.Add(sentence))
                {
                    facts.Add(sentence);
                }
            }
        }

        return facts;
    }

    private static bool IsSource(string role, bool agentPerspective) =>
        string.Equals(role, "user", StringComparison.OrdinalIgnoreCase)
        || (agentPerspective && string.Equals(role, "assistant", StringComparison.OrdinalIgnoreCase));

    private static bool IsFact(string sentence)
    {
        if (sentence.EndsWith('?'))
        {
            return false;
        }

        var core = sentence.TrimEnd('.', '!', ' ');
        if (Pleasantries.Contains(core))
        {
            return false;
        }

        return core.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= MinimumWords;
    }

    /// <summary>Sentences end at '.', '!' or '?' followed by whitespace or the end, and at line breaks.</summary>
    private static IEnumerable<string> Sentences(string text)
    {
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\n' or '\r')
            {
                foreach (var s in Flush(current))
                {
                    yield return s;
                }

                continue;
            }

            current.Append(c);
            var atBoundary = i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]);
            if (c is '.' or '!' or '?' && atBoundary)
            {
                foreach (var s in Flush(current))
                {
                    yield return s;
                }
            }
        }

        foreach (var s in Flush(current))
        {
            yield return s;
        }
    }

    private static IEnumerable<string> Flush(StringBuilder current)
    {
        var sentence = string.Join(' ', current.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        current.Clear();
        if (sentence.Length > 0)
        {
            yield return sentence;
        }
    }
}
