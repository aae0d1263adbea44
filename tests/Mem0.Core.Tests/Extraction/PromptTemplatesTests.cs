using Mem0.Core.Extraction;
using Mem0.Core.Memories;
using Microsoft.Extensions.AI;

namespace Mem0.Core.Tests.Extraction;

public sealed class PromptTemplatesTests
{
    [Theory]
    [InlineData(PromptTemplates.ExtractionSystem, new[] { "today", "perspective", "categories", "custom_instructions", "includes", "excludes" })]
    [InlineData(PromptTemplates.ExtractionUser, new[] { "existing_memories", "conversation" })]
    [InlineData(PromptTemplates.Retry, new[] { "error" })]
    public void Load_Template_ContainsItsPlaceholders(string file, string[] placeholders)
    {
        var template = PromptTemplates.Load(file);

        Assert.All(placeholders, p => Assert.Contains("{{" + p + "}}", template, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PromptTemplates.PerspectiveUser)]
    [InlineData(PromptTemplates.PerspectiveAgent)]
    public void Load_Perspective_IsNotEmpty(string file)
    {
        Assert.False(string.IsNullOrWhiteSpace(PromptTemplates.Load(file)));
    }

    [Fact]
    public void Load_Missing_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => PromptTemplates.Load("nope.md"));
    }

    [Fact]
    public void Fill_ValueContainingPlaceholder_IsNotExpandedAgain()
    {
        var filled = PromptTemplates.Fill("a {{x}} b {{y}} c {{unknown}}", new Dictionary<string, string> { ["x"] = "{{y}}", ["y"] = "Y" });

        Assert.Equal("a {{y}} b Y c {{unknown}}", filled);
    }

    [Fact]
    public void Build_Context_LeavesNoPlaceholderAndShowsShortIds()
    {
        var messages = ExtractionPrompt.Build(new ExtractionContext
        {
            Today = new DateOnly(2025, 1, 2),
            Messages = [new InputMessage("user", "I like tea"), new InputMessage("assistant", "Noted")],
            ExistingMemories = ["Likes coffee", "Lives in Oslo"],
        });

        Assert.Equal([ChatRole.System, ChatRole.User], messages.Select(m => m.Role));
        Assert.All(messages, m => Assert.DoesNotContain("{{", m.Text, StringComparison.Ordinal));
        Assert.Contains("""{"id":"1","text":"Lives in Oslo"}""", messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("user: I like tea\nassistant: Noted", messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("(none)", messages[0].Text, StringComparison.Ordinal);
    }
}
