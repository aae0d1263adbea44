using Mem0.Core.Webhooks;
using Mem0.Testing.Stores;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Mem0.Testing.Webhooks;

/// <summary>
/// The webhook pipeline wired by hand over in-memory parts and a fake clock: registration, publisher, in-process
/// transport, processor with a real HTTP deliverer. Deliveries go over real sockets through the SSRF guard.
/// </summary>
public sealed class WebhookTestHarness : IDisposable
{
    private readonly SocketsHttpHandler _handler;

    public WebhookTestHarness(WebhookOptions? options = null, bool allowLoopback = true, FakeHostResolver? resolver = null)
    {
        Options = options ?? new WebhookOptions { InitialRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMinutes(5) };
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        Resolver = resolver ?? new FakeHostResolver();
        Guard = new DestinationGuard(Resolver, allowLoopback);
        Secrets = new WebhookSecretProtector(new EphemeralDataProtectionProvider());
        Transport = new InProcessNotificationTransport(Time);
        _handler = WebhookDeliverer.CreateHandler(Guard);
        Deliverer = new WebhookDeliverer(new SingleClientFactory(_handler), wrapped, Time, NullLogger<WebhookDeliverer>.Instance);
        // Jitter fixed at its maximum so a test can advance the clock by exactly the longest possible delay.
        RetryPolicy = new WebhookRetryPolicy(wrapped, () => 0.999999);
        Processor = new WebhookDeliveryProcessor(Store, Deliverer, Secrets, Transport, RetryPolicy, wrapped, Time, NullLogger<WebhookDeliveryProcessor>.Instance);
        Publisher = new WebhookPublisher(Store, Transport, Time);
        Registration = new WebhookRegistrationService(Store, Guard, Secrets, Time);
    }

    public WebhookOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public FakeHostResolver Resolver { get; }

    public InMemoryWebhookStore Store { get; } = new();

    public DestinationGuard Guard { get; }

    public WebhookSecretProtector Secrets { get; }

    public InProcessNotificationTransport Transport { get; }

    public WebhookDeliverer Deliverer { get; }

    public WebhookRetryPolicy RetryPolicy { get; }

    public WebhookDeliveryProcessor Processor { get; }

    public WebhookPublisher Publisher { get; }

    public WebhookRegistrationService Registration { get; }

    /// <summary>Registers a webhook for <paramref name="projectId"/> subscribed to every memory event.</summary>
    public Task<CreatedWebhook> CreateWebhookAsync(string url, string projectId = "proj-1", IReadOnlyList<string>? eventTypes = null) =>
        Registration.CreateAsync(projectId, projectId, new WebhookDraft("test hook", url, eventTypes ?? WebhookEventTypes.All), "owner@test");

    /// <summary>Takes the next message waiting in the in-process queue, or null.</summary>
    public WebhookDeliveryMessage? TryDequeue() => Transport.Reader.TryRead(out var message) ? message : null;

    public void Dispose()
    {
        Transport.Dispose();
        _handler.Dispose();
    }

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
