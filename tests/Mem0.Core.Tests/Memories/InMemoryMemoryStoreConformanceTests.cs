using Mem0.Core.Memories;
using Mem0.Testing.Stores;

namespace Mem0.Core.Tests.Memories;

public sealed class InMemoryMemoryStoreConformanceTests : MemoryStoreConformanceTests
{
    protected override Task<IMemoryStore> CreateStoreAsync() => Task.FromResult<IMemoryStore>(new InMemoryMemoryStore());
}
