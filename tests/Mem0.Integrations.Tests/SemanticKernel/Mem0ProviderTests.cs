using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Examples;
using Mem0.Testing.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Memory;

namespace Mem0.Integrations.Tests.SemanticKernel;

/// <summary>
/// Semantic Kernel's <see cref="Mem0Provider"/> (Microsoft.SemanticKernel.Core, used as shipped) against the local server
/// over real HTTP: what it stores, what it recalls into a model call, and what it clears, in every scope it offers.
/// </summary>
[Collection(LocalServerCollection.Name)]
public sealed class Mem0ProviderTests(LocalServer server) : IDisposable
{
    private const string DefaultPrompt = "## Memories\nConsider the following memories when answering user questions:";

    private readonly List<HttpClient> _clients = [];

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task UserScope_StoredFactIsRecalledForThatUserOnly()
    {
        var alice = Provider(new Mem0ProviderOptions { UserId = Unique("alice") });
        var bob = Provider(new Mem0ProviderOptions { UserId = Unique("bob") });

        await alice.MessageAddingAsync(null, new ChatMessage(ChatRole.User, "I play badminton every Sunday morning."));
        await server.WaitForJobsAsync();
        var forAlice = await alice.ModelInvokingAsync([new ChatMessage(ChatRole.User, "When do I play badminton?")]);
        var forBob = await bob.ModelInvokingAsync([new ChatMessage(ChatRole.User, "When do I play badminton?")]);

        Assert.Equal(DefaultPrompt + "\nI play badminton every Sunday morning.", Normalize(forAlice.Instructions));
        Assert.Equal(DefaultPrompt + "\n", Normalize(forBob.Instructions));
    }

    [Fact]
    public async Task AgentScope_TheAgentsOwnReplyIsRemembered()
    {
        var agent = Provider(new Mem0ProviderOptions { AgentId = Unique("support-bot") });

        await agent.MessageAddingAsync(null, new ChatMessage(ChatRole.Assistant, "Sure! I will always answer the build team in French."));
        await server.WaitForJobsAsync();
        var recalled = await agent.ModelInvokingAsync([new ChatMessage(ChatRole.User, "Which language do you answer the build team in?")]);

        Assert.Contains("I will always answer the build team in French.", recalled.Instructions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreadScope_MemoriesStayInTheirThread_AndTheUserSeesAll()
    {
        var user = Unique("carol");
        var thread1 = Provider(new Mem0ProviderOptions { UserId = user, ThreadId = Unique("thread") });
        var thread2 = Provider(new Mem0ProviderOptions { UserId = user, ThreadId = Unique("thread") });
        var everywhere = Provider(new Mem0ProviderOptions { UserId = user });

        await thread1.MessageAddingAsync(null, new ChatMessage(ChatRole.User, "My cat Miso is afraid of the vacuum cleaner."));
        await server.WaitForJobsAsync();
        ChatMessage question = new(ChatRole.User, "Why is Miso afraid?");

        Assert.Contains("Miso is afraid", (await thread1.ModelInvokingAsync([question])).Instructions, StringComparison.Ordinal);
        Assert.DoesNotContain("Miso", (await thread2.ModelInvokingAsync([question])).Instructions, StringComparison.Ordinal);
        Assert.Contains("Miso is afraid", (await everywhere.ModelInvokingAsync([question])).Instructions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PerOperationThreadScope_StoresUnderTheConversationIdAsRunId()
    {
        var user = Unique("dave");
        var conversation = Unique("conversation");
        var provider = Provider(new Mem0ProviderOptions { UserId = user, ScopeToPerOperationThreadId = true });
        var otherConversation = Provider(new Mem0ProviderOptions { UserId = user, ScopeToPerOperationThreadId = true });

        await provider.ConversationCreatedAsync(conversation);
        await provider.MessageAddingAsync(conversation, new ChatMessage(ChatRole.User, "My flight to Oslo leaves at 7 am."));
        await server.WaitForJobsAsync();
        await otherConversation.ConversationCreatedAsync(Unique("conversation"));
        ChatMessage question = new(ChatRole.User, "When does my flight to Oslo leave?");
        var stored = await ListAsync(new { filters = new { AND = new object[] { new { user_id = user }, new { run_id = conversation } } } });

        Assert.Contains("My flight to Oslo leaves at 7 am.", (await provider.ModelInvokingAsync([question])).Instructions, StringComparison.Ordinal);
        Assert.DoesNotContain("Oslo leaves", (await otherConversation.ModelInvokingAsync([question])).Instructions, StringComparison.Ordinal);
        Assert.Equal("My flight to Oslo leaves at 7 am.", Assert.Single(stored.EnumerateArray()).GetProperty("memory").GetString());
    }

    [Fact]
    public async Task ModelCall_GetsTheRecalledMemoriesAsInstructions_AndTheTurnIsStored()
    {
        var user = Unique("erin");
        var memory = Provider(new Mem0ProviderOptions { UserId = user });
        await memory.MessageAddingAsync(null, new ChatMessage(ChatRole.User, "I am allergic to peanuts."));
        await server.WaitForJobsAsync();
        var model = new ScriptedChatClient("Then skip the satay sauce.");

        var answer = await AgentMemoryExample.AskAsync(model, memory, "Can I order the peanuts satay?");
        await server.WaitForJobsAsync();

        Assert.Equal("Then skip the satay sauce.", answer);
        var call = Assert.Single(model.Calls);
        Assert.Equal(Normalize(DefaultPrompt + "\nI am allergic to peanuts."), Normalize(call.SystemPrompt));
        Assert.Equal("Can I order the peanuts satay?", call.UserPrompt);
        var stored = await ListAsync(new { filters = new { user_id = user } });
        Assert.Equal(["I am allergic to peanuts."], stored.EnumerateArray().Select(m => m.GetProperty("memory").GetString()));
    }

    [Fact]
    public async Task CustomContextPrompt_PrefixesTheMemories()
    {
        var user = Unique("frank");
        var memory = Provider(new Mem0ProviderOptions { UserId = user, ContextPrompt = "What you know about the user:" });
        await memory.MessageAddingAsync(null, new ChatMessage(ChatRole.User, "I drive an electric van."));
        await server.WaitForJobsAsync();

        var recalled = await memory.ModelInvokingAsync([new ChatMessage(ChatRole.User, "What do I drive?")]);

        Assert.Equal("What you know about the user:\nI drive an electric van.", Normalize(recalled.Instructions));
    }

    [Fact]
    public async Task Clear_TheNextRecallIsAlreadyEmpty_AndOtherThreadsKeepTheirs()
    {
        var user = Unique("gina");
        var doomed = Provider(new Mem0ProviderOptions { UserId = user, ThreadId = Unique("thread") });
        var kept = Provider(new Mem0ProviderOptions { UserId = user, ThreadId = Unique("thread") });
        await doomed.MessageAddingAsync(null, new ChatMessage(ChatRole.User, "My locker code is 4711 at the gym."));
        await kept.MessageAddingAsync(null, new ChatMessage(ChatRole.User, "My locker at the gym is number 12."));
        await server.WaitForJobsAsync();
        ChatMessage question = new(ChatRole.User, "What is my locker at the gym?");

        await doomed.ClearStoredMemoriesAsync();
        var afterClear = await doomed.ModelInvokingAsync([question]);

        Assert.Equal(DefaultPrompt + "\n", Normalize(afterClear.Instructions));
        Assert.Contains("number 12", (await kept.ModelInvokingAsync([question])).Instructions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_EveryCallFailsWith401()
    {
        var provider = Provider(new Mem0ProviderOptions { UserId = Unique("mallory") }, apiKey: "m0-not-a-key");

        var add = await Assert.ThrowsAsync<HttpRequestException>(() => provider.MessageAddingAsync(null, new ChatMessage(ChatRole.User, "I like tea a lot.")));
        var search = await Assert.ThrowsAsync<HttpRequestException>(() => provider.ModelInvokingAsync([new ChatMessage(ChatRole.User, "tea?")]));
        var clear = await Assert.ThrowsAsync<HttpRequestException>(provider.ClearStoredMemoriesAsync);

        Assert.All([add, search, clear], e => Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode));
    }

    [Fact]
    public async Task AggregateProvider_AsTheAgentFrameworksCallIt_AddsTheMemoryInstructions()
    {
        var user = Unique("hank");
        var aggregate = new AggregateAIContextProvider([Provider(new Mem0ProviderOptions { UserId = user })]);
        await aggregate.MessageAddingAsync(null, new ChatMessage(ChatRole.User, "I grow tomatoes on my balcony."));
        await server.WaitForJobsAsync();

        var context = await aggregate.ModelInvokingAsync([new ChatMessage(ChatRole.User, "What do I grow on my balcony?")]);

        Assert.Contains("I grow tomatoes on my balcony.", context.Instructions, StringComparison.Ordinal);
    }

    private Mem0Provider Provider(Mem0ProviderOptions options, string? apiKey = null)
    {
        var http = AgentMemoryExample.Mem0Http(server.BaseAddress, apiKey ?? server.ApiKey);
        _clients.Add(http);
        return new Mem0Provider(http, options: options);
    }

    private async Task<JsonElement> ListAsync(object body)
    {
        using var client = server.Client();
        using var response = await client.PostAsJsonAsync("/v2/memories/", body);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>The provider joins lines with <see cref="Environment.NewLine"/>.</summary>
    private static string Normalize(string? text) => (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal);
}
