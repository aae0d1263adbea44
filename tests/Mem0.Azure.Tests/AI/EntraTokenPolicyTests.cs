using System.ClientModel.Primitives;
using Mem0.Azure.AI;
using Mem0.Azure.Tests.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Mem0.Azure.Tests.AI;

/// <summary>The bearer policy of keyless Azure OpenAI, on a pipeline whose transport is in memory (nothing is sent).</summary>
public sealed class EntraTokenPolicyTests
{
    [Fact]
    public async Task Send_TwiceWithinLifetime_AsksTheCredentialOnce()
    {
        var credential = new RecordingTokenCredential("cached-token", TimeSpan.FromHours(1));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var transport = new RecordingTransport();
        var pipeline = Pipeline(new EntraTokenPolicy(credential, AzureOpenAIClientFactory.TokenScope, time), transport);

        await SendAsync(pipeline, "https://res.openai.azure.com/openai/v1/embeddings");
        time.Advance(TimeSpan.FromMinutes(50));
        await SendAsync(pipeline, "https://res.openai.azure.com/openai/v1/embeddings");

        Assert.Single(credential.RequestedScopes);
        Assert.Equal(["Bearer cached-token", "Bearer cached-token"], transport.Authorizations);
    }

    [Fact]
    public async Task Send_CloseToExpiry_RefreshesTheToken()
    {
        var credential = new RecordingTokenCredential("short-token", TimeSpan.FromHours(1));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var pipeline = Pipeline(new EntraTokenPolicy(credential, AzureOpenAIClientFactory.TokenScope, time), new RecordingTransport());

        await SendAsync(pipeline, "https://res.openai.azure.com/openai/v1/embeddings");
        time.Advance(TimeSpan.FromMinutes(56));
        await SendAsync(pipeline, "https://res.openai.azure.com/openai/v1/embeddings");

        Assert.Equal(2, credential.RequestedScopes.Count);
    }

    [Fact]
    public async Task Send_PlainHttpOffThisMachine_IsRefusedBeforeAskingForAToken()
    {
        var credential = new RecordingTokenCredential("never", TimeSpan.FromHours(1));
        var transport = new RecordingTransport();
        var pipeline = Pipeline(new EntraTokenPolicy(credential, AzureOpenAIClientFactory.TokenScope), transport);

        await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync(pipeline, "http://res.openai.azure.com/openai/v1/embeddings"));

        Assert.Empty(credential.RequestedScopes);
        Assert.Empty(transport.Authorizations);
    }

    private static ClientPipeline Pipeline(PipelinePolicy policy, PipelineTransport transport) =>
        ClientPipeline.Create(new ClientPipelineOptions { Transport = transport, RetryPolicy = new ClientRetryPolicy(0) }, [], [policy], []);

    private static async Task SendAsync(ClientPipeline pipeline, string uri)
    {
        using var message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(uri);
        await pipeline.SendAsync(message);
    }

    /// <summary>An in-memory transport: answers 200 to everything and records the Authorization header it was given.</summary>
    private sealed class RecordingTransport : HttpClientPipelineTransport
    {
        public RecordingTransport()
            : this(new Handler())
        {
        }

        private RecordingTransport(Handler handler)
            : base(new HttpClient(handler))
        {
            Authorizations = handler.Seen;
        }

        public List<string?> Authorizations { get; }

        private sealed class Handler : HttpMessageHandler
        {
            public List<string?> Seen { get; } = [];

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Seen.Add(request.Headers.Authorization?.ToString());
                return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
            }
        }
    }
}
