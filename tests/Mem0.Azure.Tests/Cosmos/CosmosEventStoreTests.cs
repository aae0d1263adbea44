using System.Net;
using System.Text.Json.Nodes;
using Mem0.Azure.Cosmos;
using Mem0.Core.Common;
using Mem0.Core.Events;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class CosmosEventStoreTests : IDisposable
{
    private readonly FakeCosmosGateway _gateway = new();
    private readonly CosmosContainers _containers;
    private readonly CosmosEventStore _store;

    public CosmosEventStoreTests()
    {
        _containers = _gateway.CreateContainers();
        _store = new CosmosEventStore(_containers, FakeCosmosGateway.CreateTelemetry());
    }

    public void Dispose()
    {
        _containers.Client.Dispose();
        _gateway.Dispose();
    }

    private static MemoryEvent Event(string id = "e1") => new()
    {
        Id = id,
        ProjectId = "p1",
        EventType = "ADD",
        Status = EventStatus.Pending,
        Progress = new EventProgress(3, 1, 0, []),
        CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task CreateAsync_WritesCamelCaseDocumentInProjectPartition()
    {
        _gateway.On(r => r.Method == HttpMethod.Post, FakeResponse.Written());

        await _store.CreateAsync(Event());

        var request = Assert.Single(_gateway.DocumentRequests);
        Assert.Equal("dbs/mem0/colls/events/docs", request.Path);
        Assert.Equal("""["p1"]""", request.PartitionKey);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("pending", body["status"]!.GetValue<string>());
        Assert.Equal(3, body["progress"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        Assert.Null(await _store.GetAsync("p1", "nope"));
        Assert.Equal("dbs/mem0/colls/events/docs/nope", Assert.Single(_gateway.DocumentRequests).Path);
    }

    [Fact]
    public async Task GetAsync_Existing_MapsDocument()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(CosmosDocuments.Event.Document(Event() with { Status = EventStatus.Succeeded }), CosmosJson.Options);
        _gateway.On(r => r.Method == HttpMethod.Get, new FakeResponse(HttpStatusCode.OK, json));

        var e = await _store.GetAsync("p1", "e1");

        Assert.NotNull(e);
        Assert.Equal(EventStatus.Succeeded, e.Status);
        Assert.Equal(1, e.Progress!.Processed);
    }

    [Fact]
    public async Task UpdateAsync_Missing_ThrowsNotFound()
    {
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => _store.UpdateAsync(Event()));
        Assert.Equal(ResourceKind.Event, missing.Resource);
    }

    [Fact]
    public async Task ListAsync_StatusFilter_CountsThenPagesWithOffset()
    {
        _gateway.On(r => r.QueryText?.Contains("COUNT", StringComparison.Ordinal) == true, FakeResponse.Documents([12]));

        var page = await _store.ListAsync("p1", new EventListQuery(Page: 2, PageSize: 5, Status: EventStatus.Failed));

        Assert.Equal(12, page.TotalCount);
        var list = _gateway.Queries.Last();
        Assert.Contains("c.status = @status", list.QueryText, StringComparison.Ordinal);
        Assert.Equal("failed", list.QueryParameters["@status"]!.GetValue<string>());
        Assert.Equal(5, list.QueryParameters["@offset"]!.GetValue<int>());
        Assert.Equal(5, list.QueryParameters["@limit"]!.GetValue<int>());
        Assert.All(_gateway.Queries, q => Assert.Equal("""["p1"]""", q.PartitionKey));
    }

    [Fact]
    public async Task ListUnfinishedAsync_OneSinglePartitionQueryForPendingAndRunning_NoCount()
    {
        _gateway.On(r => r.QueryText is not null, FakeResponse.Documents([CosmosDocuments.Event.Document(Event() with { EventType = "DELETE", Status = EventStatus.Running })]));

        var events = await _store.ListUnfinishedAsync("p1", "DELETE");

        Assert.Equal(EventStatus.Running, Assert.Single(events).Status);
        var query = Assert.Single(_gateway.Queries);
        Assert.Contains("c.status IN (@pending, @running)", query.QueryText, StringComparison.Ordinal);
        Assert.DoesNotContain("COUNT", query.QueryText, StringComparison.Ordinal);
        Assert.Equal(("pending", "running", "DELETE"), (query.QueryParameters["@pending"]!.GetValue<string>(), query.QueryParameters["@running"]!.GetValue<string>(), query.QueryParameters["@eventType"]!.GetValue<string>()));
        Assert.Equal("""["p1"]""", query.PartitionKey);
    }
}
