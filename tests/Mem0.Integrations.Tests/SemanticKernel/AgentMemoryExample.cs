#pragma warning disable SKEXP0130 // Semantic Kernel marks its Mem0Provider experimental.
using System.Net.Http.Headers;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel.Memory;

namespace Mem0.Examples;

/// <summary>Semantic Kernel's Mem0Provider on this service: each turn is stored, and what is recalled goes before the model call.</summary>
public static class AgentMemoryExample
{
    /// <summary>The provider's HttpClient: our base address and a project API key, sent as the platform's Token header.</summary>
    public static HttpClient Mem0Http(Uri baseAddress, string apiKey)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", apiKey);
        return http;
    }

    /// <summary>One turn of an agent: store the question, recall memories into the system message, store the answer.</summary>
    public static async Task<string> AskAsync(IChatClient model, Mem0Provider memory, string question)
    {
        var user = new ChatMessage(ChatRole.User, question);
        await memory.MessageAddingAsync(null, user);
        var recalled = await memory.ModelInvokingAsync([user]);
        var reply = await model.GetResponseAsync([new ChatMessage(ChatRole.System, recalled.Instructions), user]);
        await memory.MessageAddingAsync(null, reply.Messages[^1]);
        return reply.Text;
    }

    /// <summary>A user's memory, on the local server or on the Azure deployment.</summary>
    public static Mem0Provider ForUser(string userId, bool onAzure)
    {
        var apiKey = Environment.GetEnvironmentVariable("MEM0_API_KEY")!;
        var http = onAzure
            ? Mem0Http(new Uri(Environment.GetEnvironmentVariable("MEM0_BASE_URL")!), apiKey) // `azd env get-value MEM0_BASE_URL`
            : Mem0Http(new Uri("http://127.0.0.1:8888"), apiKey);                              // `dotnet run --project src/Mem0.Server`
        return new Mem0Provider(http, options: new Mem0ProviderOptions { UserId = userId });
    }
}
