using System.Text;

namespace Mem0.Core.Extraction;

/// <summary>Loads the extraction prompts (embedded <c>Prompts/*.md</c>) and fills their <c>{{placeholders}}</c>.</summary>
public static class PromptTemplates
{
    public const string ExtractionSystem = "extraction-system.md";
    public const string ExtractionUser = "extraction-user.md";
    public const string PerspectiveUser = "perspective-user.md";
    public const string PerspectiveAgent = "perspective-agent.md";
    public const string Retry = "retry.md";

    private const string ResourcePrefix = "Mem0.Core.Prompts.";

    /// <summary>The raw template text of an embedded prompt file.</summary>
    public static string Load(string fileName)
    {
        var assembly = typeof(PromptTemplates).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new InvalidOperationException($"Prompt resource '{fileName}' is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Replaces each <c>{{name}}</c> with its value. Values are inserted once, never re-scanned.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var result = new StringBuilder(template.Length);
        var position = 0;
        while (position < template.Length)
        {
            var start = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            var end = template.IndexOf("}}", start + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            var name = template[(start + 2)..end];
            result.Append(template, position, start - position);
            result.Append(values.TryGetValue(name, out var value) ? value : template[start..(end + 2)]);
            position = end + 2;
        }

        result.Append(template, position, template.Length - position);
        return result.ToString();
    }
}
