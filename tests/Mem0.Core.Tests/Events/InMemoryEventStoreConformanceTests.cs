using Mem0.Core.Events;
using Mem0.Testing.Stores;

namespace Mem0.Core.Tests.Events;

public sealed class InMemoryEventStoreConformanceTests : EventStoreConformanceTests
{
    protected override Task<IEventStore> CreateStoreAsync() => Task.FromResult<IEventStore>(new InMemoryEventStore());
}
