using Mem0.Core.Memories;
using Mem0.Core.Webhooks;
using Mem0.Testing.Stores;

namespace Mem0.Core.Tests.Webhooks;

public sealed class InMemoryWebhookStoreConformanceTests : WebhookStoreConformanceTests
{
    protected override Task<IWebhookStore> CreateStoreAsync() => Task.FromResult<IWebhookStore>(new InMemoryWebhookStore());
}

public sealed class InMemoryChangeOutboxConformanceTests : ChangeOutboxConformanceTests
{
    protected override Task<IMemoryStore> CreateStoreAsync() => Task.FromResult<IMemoryStore>(new InMemoryMemoryStore());
}
