using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Projects;
using Mem0.Testing.AI;
using Mem0.Testing.Engine;
using Mem0.Testing.Stores;
using Microsoft.Extensions.AI;

namespace Mem0.Core.Tests.Memories;

public sealed class MemoryServiceAddTests
{
    private static readonly MemoryScope Alice = new(UserId: "alice");

    private static EngineHarness Harness(ScriptedChatClient? chat = null) => new(new InMemoryMemoryStore(), chat);

    private static async Task<string> SeedAsync(EngineHarness harness, string text, bool immutable = false)
    {
        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, text) with { Infer = false, Immutable = immutable });
        return result.Results[0].Id;
    }

    private static async Task<IReadOnlyList<MemoryRecord>> AllAsync(EngineHarness harness) =>
        (await harness.Service.ListAsync(new ListMemoriesRequest
        {
            ProjectId = EngineHarness.ProjectId,
            Filter = FilterScopes.Exact(Alice),
            PageSize = 1000,
            ShowExpired = true,
        })).Items;

    [Fact]
    public async Task AddAsync_LlmAdds_StoresMemoryWithCategoriesMetadataAndOneCallEach()
    {
        var chat = new ScriptedChatClient("""{"memory": [{"event": "ADD", "text": "Is allergic to peanuts", "categories": ["health", "not_a_category"]}]}""");
        var harness = Harness(chat);
        var request = EngineHarness.Add(Alice, "I'm allergic to peanuts, by the way.") with
        {
            Metadata = JsonDocument.Parse("""{"source": "onboarding"}""").RootElement,
            ExpirationDate = new DateOnly(2030, 1, 1),
        };

        var result = await harness.Service.AddAsync(request);

        var op = Assert.Single(result.Results);
        Assert.Equal(MemoryOperation.Add, op.Event);
        Assert.Equal(("llm", 1, 2), (result.Extractor, result.LlmCalls, result.EmbeddingCalls));
        Assert.True(result.PromptTokens > 0);
        var stored = Assert.Single(await AllAsync(harness));
        Assert.Equal("Is allergic to peanuts", stored.Text);
        Assert.Equal(["health"], stored.Categories);
        Assert.Equal("onboarding", stored.Metadata!.Value.GetProperty("source").GetString());
        Assert.Equal(new DateOnly(2030, 1, 1), stored.ExpirationDate);
        Assert.Equal(EngineHarness.Start, stored.CreatedAt);
        Assert.Equal(ChatResponseFormat.Json, chat.Calls[0].Options!.ResponseFormat);
        var history = Assert.Single(await harness.Service.GetHistoryAsync(EngineHarness.ProjectId, stored.Id));
        Assert.Equal("I'm allergic to peanuts, by the way.", Assert.Single(history.Input).Content);
    }

    [Fact]
    public async Task AddAsync_LlmUpdates_ReplacesTextAndHistoryKeepsOldAndNew()
    {
        var chat = new ScriptedChatClient("""{"memory": [{"event": "UPDATE", "id": "0", "text": "Lives in Berlin since 2024"}]}""");
        var harness = Harness(chat);
        var id = await SeedAsync(harness, "Lives in Paris");

        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, "I moved to Berlin in 2024."));

        var op = Assert.Single(result.Results);
        Assert.Equal((MemoryOperation.Update, id, "Lives in Paris"), (op.Event, op.Id, op.PreviousMemory));
        Assert.Equal("Lives in Berlin since 2024", (await harness.Service.GetAsync(EngineHarness.ProjectId, id)).Text);
        var update = (await harness.Service.GetHistoryAsync(EngineHarness.ProjectId, id))[^1];
        Assert.Equal((HistoryEvent.Update, "Lives in Paris", "Lives in Berlin since 2024"), (update.Event, update.OldMemory, update.NewMemory));
        Assert.Contains("Lives in Paris", chat.Calls[0].UserPrompt, StringComparison.Ordinal);
        Assert.DoesNotContain(id, chat.Calls[0].UserPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_LlmDeletes_RemovesMemoryWithHistory()
    {
        var harness = Harness(new ScriptedChatClient("""{"memory": [{"event": "DELETE", "id": "0"}]}"""));
        var id = await SeedAsync(harness, "Has a dog named Rex");

        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, "Please forget about my dog."));

        Assert.Equal(MemoryOperation.Delete, Assert.Single(result.Results).Event);
        Assert.Empty(await AllAsync(harness));
        Assert.Equal(HistoryEvent.Delete, (await harness.Service.GetHistoryAsync(EngineHarness.ProjectId, id))[^1].Event);
    }

    [Fact]
    public async Task AddAsync_LlmSaysNone_WritesNothing()
    {
        var harness = Harness(new ScriptedChatClient("""{"memory": [{"event": "NONE", "id": "0"}]}"""));
        var id = await SeedAsync(harness, "Likes jazz");

        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, "Jazz is my favourite music."));

        var op = Assert.Single(result.Results);
        Assert.Equal((MemoryOperation.None, id), (op.Event, op.Id));
        Assert.Equal(1, result.EmbeddingCalls);
        Assert.Single(await harness.Service.GetHistoryAsync(EngineHarness.ProjectId, id));
    }

    [Fact]
    public async Task AddAsync_LlmInventsIds_IgnoresThoseOperations()
    {
        var harness = Harness(new ScriptedChatClient(
            """{"memory": [{"event": "UPDATE", "id": "7", "text": "x y z"}, {"event": "DELETE", "id": "3f1c2a9e-0000-0000-0000-000000000000"}, {"event": "ADD", "text": "Speaks Dutch"}]}"""));
        var id = await SeedAsync(harness, "Likes jazz");

        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, "I speak Dutch."));

        Assert.Equal([MemoryOperation.Add], result.Results.Select(r => r.Event));
        var all = await AllAsync(harness);
        Assert.Equal(2, all.Count);
        Assert.Equal("Likes jazz", (await harness.Service.GetAsync(EngineHarness.ProjectId, id)).Text);
    }

    [Fact]
    public async Task AddAsync_LlmTargetsImmutableMemory_LeavesItUnchanged()
    {
        var harness = Harness(new ScriptedChatClient(
            """{"memory": [{"event": "UPDATE", "id": "0", "text": "Born in 1991"}]}""",
            """{"memory": [{"event": "DELETE", "id": "0"}]}"""));
        var id = await SeedAsync(harness, "Born in 1990", immutable: true);

        var update = await harness.Service.AddAsync(EngineHarness.Add(Alice, "Actually I was born in 1991."));
        var delete = await harness.Service.AddAsync(EngineHarness.Add(Alice, "Forget my birth year."));

        Assert.Equal(MemoryOperation.None, Assert.Single(update.Results).Event);
        Assert.Equal(MemoryOperation.None, Assert.Single(delete.Results).Event);
        Assert.Equal("Born in 1990", (await harness.Service.GetAsync(EngineHarness.ProjectId, id)).Text);
    }

    [Fact]
    public async Task AddAsync_ContentAlreadyStoredInScope_MakesNoLlmOrEmbeddingCall()
    {
        var chat = new ScriptedChatClient();
        var harness = Harness(chat);
        var id = await SeedAsync(harness, "Likes jazz");
        var embeddingCallsBefore = harness.Embeddings.CallCount;

        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, "  Likes jazz  "));

        Assert.Equal(0, chat.CallCount);
        Assert.Equal(embeddingCallsBefore, harness.Embeddings.CallCount);
        Assert.Equal((0, 0), (result.LlmCalls, result.EmbeddingCalls));
        var op = Assert.Single(result.Results);
        Assert.Equal((MemoryOperation.None, id), (op.Event, op.Id));
    }

    [Fact]
    public async Task AddAsync_SameContentInAnotherScope_StillCallsLlm()
    {
        var chat = new ScriptedChatClient("""{"memory": []}""");
        var harness = Harness(chat);
        await SeedAsync(harness, "Likes jazz");

        await harness.Service.AddAsync(EngineHarness.Add(new MemoryScope(UserId: "alice", AgentId: "helper"), "Likes jazz"));

        Assert.Equal(1, chat.CallCount);
    }

    [Fact]
    public async Task AddAsync_UnparseableTwice_ThrowsWithoutWriting()
    {
        var chat = new ScriptedChatClient("Sure! Here are the memories you asked for.", """{"memories": "oops"}""");
        var harness = Harness(chat);

        await Assert.ThrowsAsync<ExtractionFailedException>(() => harness.Service.AddAsync(EngineHarness.Add(Alice, "I like tea.")));

        Assert.Equal(2, chat.CallCount);
        Assert.Empty(await AllAsync(harness));
        var retry = chat.Calls[1].Messages;
        Assert.Equal(ChatRole.Assistant, retry[^2].Role);
        Assert.Contains("no JSON object", retry[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_UnparseableThenValid_SucceedsWithTwoCalls()
    {
        var chat = new ScriptedChatClient("""{"memory": [{"event": "ADD"}]}""", """{"memory": [{"event": "ADD", "text": "Likes tea"}]}""");
        var harness = Harness(chat);

        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, "I like tea."));

        Assert.Equal(2, result.LlmCalls);
        Assert.Contains("needs a non-empty \"text\"", chat.Calls[1].Messages[^1].Text, StringComparison.Ordinal);
        Assert.Equal("Likes tea", Assert.Single(await AllAsync(harness)).Text);
    }

    [Fact]
    public async Task AddAsync_ReplyInCodeFenceWithProse_IsParsed()
    {
        var chat = new ScriptedChatClient("Here you go:\n```json\n{\"memory\": [{\"event\": \"ADD\", \"text\": \"Likes tea\"}]}\n```\nHope this helps.");
        var harness = Harness(chat);

        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, "I like tea."));

        Assert.Equal(1, result.LlmCalls);
        Assert.Equal("Likes tea", Assert.Single(await AllAsync(harness)).Text);
    }

    [Fact]
    public async Task AddAsync_RequestInstructionsAndCategories_ReachThePrompt()
    {
        var chat = new ScriptedChatClient("""{"memory": [{"event": "ADD", "text": "Plays go", "categories": ["games"]}]}""");
        var harness = Harness(chat);
        harness.Projects.Set(FixtureProject() with { CustomInstructions = "Project rule", CustomCategories = [new("project_cat", "From project")] });

        await harness.Service.AddAsync(EngineHarness.Add(Alice, "I play go every week.") with
        {
            CustomInstructions = "Only remember hobbies.",
            CustomCategories = [new CustomCategory("games", "Board and video games")],
            Includes = "board games",
            Excludes = "weather talk",
        });

        var system = chat.Calls[0].SystemPrompt;
        Assert.Contains("Only remember hobbies.", system, StringComparison.Ordinal);
        Assert.Contains("- games: Board and video games", system, StringComparison.Ordinal);
        Assert.DoesNotContain("project_cat", system, StringComparison.Ordinal);
        Assert.DoesNotContain("Project rule", system, StringComparison.Ordinal);
        Assert.Contains("board games", system, StringComparison.Ordinal);
        Assert.Contains("weather talk", system, StringComparison.Ordinal);
        Assert.Contains("Today is 2025-06-01.", system, StringComparison.Ordinal);
        Assert.Equal(["games"], Assert.Single(await AllAsync(harness)).Categories);
    }

    [Fact]
    public async Task AddAsync_NoRequestSettings_UsesProjectInstructionsAndCategories()
    {
        var chat = new ScriptedChatClient("""{"memory": []}""");
        var harness = Harness(chat);
        harness.Projects.Set(FixtureProject() with { CustomInstructions = "Project rule", CustomCategories = [new("project_cat", "From project")] });

        await harness.Service.AddAsync(EngineHarness.Add(Alice, "I play go every week."));

        var system = chat.Calls[0].SystemPrompt;
        Assert.Contains("Project rule", system, StringComparison.Ordinal);
        Assert.Contains("- project_cat: From project", system, StringComparison.Ordinal);
        Assert.DoesNotContain("personal_details", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_NoCategoriesAnywhere_UsesDefaultList()
    {
        var chat = new ScriptedChatClient("""{"memory": []}""");
        var harness = Harness(chat);

        await harness.Service.AddAsync(EngineHarness.Add(Alice, "I play go every week."));

        Assert.Contains("- personal_details", chat.Calls[0].SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("The memories belong to the user", chat.Calls[0].SystemPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_OnlyAgentId_UsesAgentPerspective()
    {
        var chat = new ScriptedChatClient("""{"memory": []}""");
        var harness = Harness(chat);

        await harness.Service.AddAsync(EngineHarness.Add(new MemoryScope(AgentId: "support-bot"), "The build server moved to Oslo."));

        Assert.Contains("belong to the AI agent itself", chat.Calls[0].SystemPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_OnlyAgentIdAssistantMessage_LlmSeesItFromTheAgentsPerspective()
    {
        var chat = new ScriptedChatClient("""{"memory": [{"event": "ADD", "text": "Answers the build team in bullet points"}]}""");
        var harness = Harness(chat);
        var agent = new MemoryScope(AgentId: "support-bot");

        var result = await harness.Service.AddAsync(AssistantSays(agent, "I will answer the build team in bullet points."));

        Assert.Equal(MemoryOperation.Add, Assert.Single(result.Results).Event);
        Assert.Contains("belong to the AI agent itself", chat.Calls[0].SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("assistant: I will answer the build team in bullet points.", chat.Calls[0].UserPrompt, StringComparison.Ordinal);
        var stored = await harness.Service.ListAsync(new ListMemoriesRequest { ProjectId = EngineHarness.ProjectId, Filter = FilterScopes.Exact(agent) });
        Assert.Equal(agent, Assert.Single(stored.Items).Scope);
    }

    [Fact]
    public async Task AddAsync_HeuristicOnlyAgentIdAssistantMessage_StoresTheAgentsStatement()
    {
        var harness = Harness();
        var agent = new MemoryScope(AgentId: "support-bot");

        var result = await harness.Service.AddAsync(AssistantSays(agent, "Sure! I will answer the build team in bullet points."));

        var op = Assert.Single(result.Results);
        Assert.Equal(("heuristic", MemoryOperation.Add, "I will answer the build team in bullet points."), (result.Extractor, op.Event, op.Memory));
        Assert.Equal(agent, op.Scope);
    }

    [Theory]
    [InlineData("alice", "support-bot")]
    [InlineData("alice", null)]
    public async Task AddAsync_HeuristicAssistantMessageInAUsersScope_StoresNothing(string userId, string? agentId)
    {
        var harness = Harness();

        var result = await harness.Service.AddAsync(AssistantSays(new MemoryScope(UserId: userId, AgentId: agentId), "I will answer the build team in bullet points."));

        Assert.Empty(result.Results);
    }

    private static AddMemoriesRequest AssistantSays(MemoryScope scope, string text) => new()
    {
        ProjectId = EngineHarness.ProjectId,
        Scope = scope,
        Messages = [new InputMessage("assistant", text)],
    };

    [Fact]
    public async Task AddAsync_Timestamp_BackdatesCreatedAt()
    {
        var harness = Harness(new ScriptedChatClient("""{"memory": [{"event": "ADD", "text": "Graduated in 2010"}]}"""));
        var when = new DateTimeOffset(2020, 2, 3, 4, 5, 6, TimeSpan.Zero);

        await harness.Service.AddAsync(EngineHarness.Add(Alice, "I graduated in 2010.") with { Timestamp = when });

        Assert.Equal(when, Assert.Single(await AllAsync(harness)).CreatedAt);
    }

    [Fact]
    public async Task AddAsync_InferFalse_StoresEachNonSystemMessageWithOneEmbeddingCall()
    {
        var harness = Harness(new ScriptedChatClient());
        var request = new AddMemoriesRequest
        {
            ProjectId = EngineHarness.ProjectId,
            Scope = Alice,
            Infer = false,
            Messages = [new("system", "You are helpful."), new("user", "I like tea."), new("assistant", "Noted, you like tea.")],
        };

        var result = await harness.Service.AddAsync(request);

        Assert.Equal(("verbatim", 0, 1), (result.Extractor, result.LlmCalls, result.EmbeddingCalls));
        Assert.Equal(1, harness.Embeddings.CallCount);
        Assert.Equal(["I like tea.", "Noted, you like tea."], (await AllAsync(harness)).Select(m => m.Text).Order());
    }

    [Fact]
    public async Task AddAsync_NoScope_ThrowsValidation()
    {
        var harness = Harness();

        await Assert.ThrowsAsync<ValidationException>(() => harness.Service.AddAsync(EngineHarness.Add(MemoryScope.Empty, "I like tea.")));
    }

    [Fact]
    public async Task AddAsync_HeuristicNearDuplicate_IsNone()
    {
        var harness = Harness();
        await harness.Service.AddAsync(EngineHarness.Add(Alice, "I like green tea a lot."));

        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, "Hello! I like green tea a lot! My sister lives in Rome."));

        Assert.Equal("heuristic", result.Extractor);
        Assert.Equal(0, result.LlmCalls);
        Assert.Equal([MemoryOperation.Add, MemoryOperation.None], result.Results.Select(r => r.Event));
        Assert.Equal("My sister lives in Rome.", result.Results[0].Memory);
        Assert.Equal(2, (await AllAsync(harness)).Count);
    }

    [Fact]
    public async Task AddAsync_HeuristicThresholdRaised_KeepsSimilarSentence()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore(), options: new MemoryEngineOptions { DuplicateSimilarity = 1.01 });
        await harness.Service.AddAsync(EngineHarness.Add(Alice, "I like green tea a lot."));

        var result = await harness.Service.AddAsync(EngineHarness.Add(Alice, "I like green tea a lot!"));

        Assert.Equal(MemoryOperation.Add, Assert.Single(result.Results).Event);
    }

    private static Project FixtureProject() => InMemoryProjectStore.NewProject(EngineHarness.ProjectId);
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AddAsync_ManyMessages_EachHistoryInputIsTheOneSourceMessage(bool infer)
    {
        // With the whole request in every entry, n messages stored n² message copies (issue 13: 8,000 took 195 s).
        var harness = Harness();
        var messages = Enumerable.Range(0, 50).Select(i => new InputMessage("user", $"My favourite number is {i * 7919} today.")).ToList();

        await harness.Service.AddAsync(EngineHarness.Add(Alice, "x") with { Messages = messages, Infer = infer });

        var stored = await AllAsync(harness);
        Assert.True(stored.Count > 1);
        foreach (var memory in stored)
        {
            var history = Assert.Single(await harness.Service.GetHistoryAsync(EngineHarness.ProjectId, memory.Id));
            Assert.Equal(memory.Text, Assert.Single(history.Input).Content.Trim());
        }
    }
}
