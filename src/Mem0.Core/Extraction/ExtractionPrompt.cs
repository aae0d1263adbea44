using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mem0.Core.Extraction;

/// <summary>Builds the system and user messages of the single extraction call from the embedded templates.</summary>
public static class ExtractionPrompt
{
    private static readonly Lazy<string> SystemTemplate = new(() => PromptTemplates.Load(PromptTemplates.ExtractionSystem));
    private static readonly Lazy<string> UserTemplate = new(() => PromptTemplates.Load(PromptTemplates.ExtractionUser));
    private static readonly Lazy<string> UserPerspective = new(() => PromptTemplates.Load(PromptTemplates.PerspectiveUser).Trim());
    private static readonly Lazy<string> AgentPerspective = new(() => PromptTemplates.Load(PromptTemplates.PerspectiveAgent).Trim());
    private static readonly Lazy<string> RetryTemplate = new(() => PromptTemplates.Load(PromptTemplates.Retry));

    public static IReadOnlyList<ChatMessage> Build(ExtractionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var system = PromptTemplates.Fill(SystemTemplate.Value, new Dictionary<string, string>
        {
            ["today"] = context.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["perspective"] = context.AgentPerspective ? AgentPerspective.Value : UserPerspective.Value,
            ["categories"] = FormatCategories(context),
            ["custom_instructions"] = string.IsNullOrWhiteSpace(context.CustomInstructions) ? "(none)" : context.CustomInstructions.Trim(),
            ["includes"] = string.IsNullOrWhiteSpace(context.Includes) ? "" : $"- Focus especially on: {context.Includes.Trim()}\n",
            ["excludes"] = string.IsNullOrWhiteSpace(context.Excludes) ? "" : $"- Never remember: {context.Excludes.Trim()}\n",
        });
        var user = PromptTemplates.Fill(UserTemplate.Value, new Dictionary<string, string>
        {
            ["existing_memories"] = FormatExisting(context.ExistingMemories),
            ["conversation"] = FormatConversation(context),
        });
        return [new ChatMessage(ChatRole.System, system), new ChatMessage(ChatRole.User, user)];
    }

    /// <summary>The follow-up user message after an unusable reply, naming what was wrong.</summary>
    public static ChatMessage Retry(string error) =>
        new(ChatRole.User, PromptTemplates.Fill(RetryTemplate.Value, new Dictionary<string, string> { ["error"] = error }));

    private static string FormatCategories(ExtractionContext context)
    {
        var builder = new StringBuilder();
        foreach (var category in context.Categories)
        {
            builder.Append("- ").Append(category.Name);
            if (!string.IsNullOrWhiteSpace(category.Description))
            {
                builder.Append(": ").Append(category.Description.Trim());
            }

            builder.Append('\n');
        }

        return builder.ToString().TrimEnd();
    }

    private static string FormatExisting(IReadOnlyList<string> existing)
    {
        if (existing.Count == 0)
        {
            return "(none yet)";
        }

        var items = existing.Select((text, i) => new Dictionary<string, string>
        {
            ["id"] = i.ToString(CultureInfo.InvariantCulture),
            ["text"] = text,
        });
        return JsonSerializer.Serialize(items);
    }

    private static string FormatConversation(ExtractionContext context)
    {
        var builder = new StringBuilder();
        foreach (var message in context.Messages)
        {
            builder.Append(message.Role);
            if (!string.IsNullOrWhiteSpace(message.Name))
            {
                builder.Append(" (").Append(message.Name).Append(')');
            }

            builder.Append(": ").Append(message.Content.Trim()).Append('\n');
        }

        return builder.ToString().TrimEnd();
    }
}
