using Mem0.Core.Projects;
using Mem0.Testing.Stores;

namespace Mem0.Core.Tests.Projects;

public sealed class InMemoryProjectStoreConformanceTests : ProjectStoreConformanceTests
{
    protected override Task<IProjectStore> CreateStoreAsync() => Task.FromResult<IProjectStore>(new InMemoryProjectStore());
}
