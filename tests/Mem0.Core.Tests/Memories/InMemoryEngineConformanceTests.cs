using Mem0.Core.Memories;
using Mem0.Testing.Engine;
using Mem0.Testing.Stores;

namespace Mem0.Core.Tests.Memories;

public sealed class InMemoryEngineConformanceTests : EngineConformanceTests
{
    protected override IMemoryStore CreateStore() => new InMemoryMemoryStore();
}
