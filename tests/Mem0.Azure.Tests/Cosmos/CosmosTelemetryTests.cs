using System.Diagnostics.Metrics;
using System.Net;
using Mem0.Azure.Cosmos;
using Mem0.Core.Common;
using Mem0.Core.Memories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class CosmosTelemetryTests
{
    [Fact]
    public async Task ApplyAsync_Write_RecordsRequestChargeWithContainerAndOperation()
    {
        using var gateway = new FakeCosmosGateway();
        gateway.On(r => r.Method == HttpMethod.Post && !r.IsQuery, FakeResponse.Written(charge: 6.2));
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var recorded = new List<(double Value, string? Container, string? Operation)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == CosmosTelemetry.RequestChargeInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var all = tags.ToArray();
            lock (recorded)
            {
                recorded.Add((value, all.FirstOrDefault(t => t.Key == "container").Value as string, all.FirstOrDefault(t => t.Key == "operation").Value as string));
            }
        });
        listener.Start();
        var containers = gateway.CreateContainers();
        var store = new CosmosMemoryStore(containers, new CosmosTelemetry(factory, NullLogger<CosmosTelemetry>.Instance));

        await store.ApplyAsync("p1", new MemoryChangeSet { Added = [CosmosMemoryStoreTests.Record("m1")] });

        Assert.Contains((6.2, "memories", "create"), recorded);
        containers.Client.Dispose();
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, typeof(MemoryNotFoundException))]
    [InlineData(HttpStatusCode.Conflict, typeof(ConcurrencyConflictException))]
    [InlineData(HttpStatusCode.PreconditionFailed, typeof(ConcurrencyConflictException))]
    [InlineData(HttpStatusCode.TooManyRequests, typeof(ThrottledException))]
    public void MapStatus_DomainStatuses_MapToDomainExceptions(HttpStatusCode status, Type expected)
    {
        Assert.True(CosmosTelemetry.IsDomainStatus(status));
        Assert.IsType(expected, CosmosTelemetry.MapStatus(status, TimeSpan.FromSeconds(2), ResourceKind.Memory, "Memory m1"));
    }

    [Theory]
    [InlineData(ResourceKind.Event)]
    [InlineData(ResourceKind.Webhook)]
    [InlineData(ResourceKind.Project)]
    [InlineData(ResourceKind.ApiKey)]
    public void MapStatus_NotFound_NamesTheResourceKind(ResourceKind resource)
    {
        var mapped = Assert.IsType<NotFoundException>(CosmosTelemetry.MapStatus(HttpStatusCode.NotFound, null, resource, "x"));

        Assert.Equal(resource, mapped.Resource);
    }

    [Fact]
    public void MapStatus_ServerError_IsNotMapped()
    {
        Assert.False(CosmosTelemetry.IsDomainStatus(HttpStatusCode.ServiceUnavailable));
        Assert.Null(CosmosTelemetry.MapStatus(HttpStatusCode.ServiceUnavailable, null, ResourceKind.Memory, "x"));
    }
}
