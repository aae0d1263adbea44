using System.Collections.Concurrent;
using System.Diagnostics;
using Mem0.Azure.Cosmos;
using Mem0.Core.Memories;
using Mem0.Core.Observability;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>The client the app builds emits the SDK's operation spans, which the hosts' tracer subscribes to.</summary>
public sealed class CosmosTracingTests
{
    [Fact]
    public async Task CosmosClient_AsTheAppBuildsIt_EmitsOperationSpansWithoutDocumentText()
    {
        const string Source = "Azure.Cosmos.Operation";
        Assert.Contains(Source, Mem0Telemetry.TraceSources);
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var gateway = new FakeCosmosGateway();
        gateway.On(r => r.Method == HttpMethod.Post && !r.IsQuery, FakeResponse.Written());
        var containers = gateway.CreateContainers();
        var store = new CosmosMemoryStore(containers, FakeCosmosGateway.CreateTelemetry());
        var record = CosmosMemoryStoreTests.Record("m1", text: "secret-memory-text about lisbon");

        await store.ApplyAsync("p1", new MemoryChangeSet { Added = [record] });

        Assert.Contains(spans, s => s.GetTagItem("db.collection.name") as string == "memories" && s.GetTagItem("db.operation.name") is string);
        Assert.All(spans, s => Assert.All(s.TagObjects, t => Assert.DoesNotContain("secret-memory-text", Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparison.Ordinal)));
        containers.Client.Dispose();
    }
}
