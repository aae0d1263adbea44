using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Azure.Cosmos;
using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Core.Search;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class CosmosMemoryStoreTests : IDisposable
{
    private const string MemoriesDocs = "dbs/mem0/colls/memories/docs";
    private const string HistoryDocs = "dbs/mem0/colls/history/docs";
    private static readonly DateOnly s_today = new(2025, 6, 1);
    private readonly FakeCosmosGateway _gateway = new();
    private readonly CosmosContainers _containers;
    private readonly CosmosMemoryStore _store;

    public CosmosMemoryStoreTests()
    {
        _containers = _gateway.CreateContainers();
        _store = new CosmosMemoryStore(_containers, FakeCosmosGateway.CreateTelemetry());
    }

    public void Dispose()
    {
        _containers.Client.Dispose();
        _gateway.Dispose();
    }

    internal static MemoryRecord Record(string id, string userId = "alice", string text = "Likes tea", string? etag = null) => new()
    {
        Id = id,
        ProjectId = "p1",
        Text = text,
        Hash = "h-" + id,
        Embedding = [0.6f, 0.8f],
        EmbeddingModel = "test-model",
        Scope = new MemoryScope(UserId: userId),
        Metadata = JsonDocument.Parse("""{"topic":"drinks"}""").RootElement,
        Categories = ["food"],
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        ETag = etag,
    };

    private static JsonObject Document(string id, string userId = "alice", string etag = "\"e1\"", double? score = null)
    {
        var node = JsonSerializer.SerializeToNode(CosmosDocuments.Memory.Document(Record(id, userId)), CosmosJson.Options)!.AsObject();
        node["_etag"] = etag;
        if (score is { } s)
        {
            node["score"] = s;
        }

        return node;
    }

    private static HistoryEntry History(string memoryId, HistoryEvent e = HistoryEvent.Add) => new()
    {
        Id = "h-" + memoryId,
        ProjectId = "p1",
        MemoryId = memoryId,
        Event = e,
        NewMemory = "Likes tea",
        Scope = new MemoryScope(UserId: "alice"),
        Actor = "api",
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    private static FilterNode UserIs(string user) => new ConditionFilter(FilterField.Of(FilterFieldKind.UserId), FilterOperator.Eq, new StringValue(user));

    private static bool Is(RecordedRequest r, HttpMethod method, string pathPrefix) => r.Method == method && r.Path.StartsWith(pathPrefix, StringComparison.Ordinal);

    [Fact]
    public async Task GetAsync_ExistingMemory_QueriesProjectPartitionsWithProjectGuardAndMapsDocument()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([Document("m1")]));

        var record = await _store.GetAsync("p1", "m1");

        Assert.NotNull(record);
        Assert.Equal("m1", record.Id);
        Assert.Equal("Likes tea", record.Text);
        Assert.Equal("alice", record.Scope.UserId);
        Assert.Equal("\"e1\"", record.ETag);
        Assert.Equal(["food"], record.Categories);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), record.CreatedAt);
        Assert.Equal("drinks", record.Metadata!.Value.GetProperty("topic").GetString());
        var query = Assert.Single(_gateway.Queries);
        Assert.Equal("SELECT * FROM c WHERE c.projectId = @projectId AND c.id = @id", query.QueryText);
        Assert.Equal("m1", query.QueryParameters["@id"]!.GetValue<string>());

        // A prefix key fans out over partition-key ranges, so the WHERE clause's project guard is what isolates projects.
        Assert.Equal("p1", query.QueryParameters["@projectId"]!.GetValue<string>());
        Assert.Null(query.PartitionKey);
        Assert.Equal("0", query.Header("x-ms-documentdb-partitionkeyrangeid"));
    }

    [Fact]
    public async Task GetAsync_NoDocument_ReturnsNull()
    {
        Assert.Null(await _store.GetAsync("p1", "missing"));
    }

    [Fact]
    public async Task FindByHashAsync_UserScope_TargetsOwnerPartitionWithExactScope()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([Document("m1")]));

        var found = await _store.FindByHashAsync("p1", new MemoryScope(UserId: "alice"), ["h-m1", "h-x"]);

        Assert.Equal("m1", Assert.Single(found).Id);
        var query = Assert.Single(_gateway.Queries);
        Assert.Equal("""["p1","alice"]""", query.PartitionKey);
        Assert.Contains("ARRAY_CONTAINS(@hashes, c.hash)", query.QueryText, StringComparison.Ordinal);
        Assert.Contains("c.userId = @userId", query.QueryText, StringComparison.Ordinal);
        Assert.Contains("(NOT IS_DEFINED(c.agentId) OR IS_NULL(c.agentId))", query.QueryText, StringComparison.Ordinal);
        Assert.Equal(["h-m1", "h-x"], query.QueryParameters["@hashes"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task FindByHashAsync_AgentOnlyScope_UsesAgentOwnerKey()
    {
        await _store.FindByHashAsync("p1", new MemoryScope(AgentId: "bot"), ["h"]);

        Assert.Equal("""["p1","agent:bot"]""", Assert.Single(_gateway.Queries).PartitionKey);
    }

    [Fact]
    public async Task ListAsync_UserFilter_SinglePartitionNewestFirstWithoutOffset()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([Document("m2")]));

        var page = await _store.ListAsync("p1", new MemoryListQuery { Filter = UserIs("alice"), PageSize = 1, Today = s_today });

        Assert.Equal("m2", Assert.Single(page.Items).Id);
        var query = Assert.Single(_gateway.Queries);
        Assert.Equal("""["p1","alice"]""", query.PartitionKey);
        Assert.Contains("ORDER BY c.createdAt DESC", query.QueryText, StringComparison.Ordinal);
        Assert.DoesNotContain("OFFSET", query.QueryText, StringComparison.Ordinal);
        Assert.Equal("1", query.Header("x-ms-max-item-count"));
        Assert.Equal("2025-06-01", query.QueryParameters["@today"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListAsync_ContinuationToken_RoundTripsToTheGateway()
    {
        _gateway.On(r => r.IsQuery && r.Header("x-ms-continuation") is null, FakeResponse.Documents([Document("m2")], continuation: "backend-1"));
        _gateway.On(r => r.IsQuery && r.Header("x-ms-continuation") is not null, FakeResponse.Documents([Document("m1")]));

        var first = await _store.ListAsync("p1", new MemoryListQuery { Filter = UserIs("alice"), PageSize = 1, Today = s_today });
        var second = await _store.ListAsync("p1", new MemoryListQuery { Filter = UserIs("alice"), PageSize = 1, ContinuationToken = first.ContinuationToken, Today = s_today });

        Assert.Equal("m2", Assert.Single(first.Items).Id);
        Assert.NotNull(first.ContinuationToken);
        Assert.Equal("m1", Assert.Single(second.Items).Id);
        Assert.Null(second.ContinuationToken);
        Assert.Contains("backend-1", _gateway.Queries[^1].Header("x-ms-continuation"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_ShortPages_ReadsUntilPageIsFull()
    {
        _gateway.On(r => r.IsQuery && r.Header("x-ms-continuation") is null, FakeResponse.Documents([Document("m3")], continuation: "after-m3"));
        _gateway.On(r => r.IsQuery && r.Header("x-ms-continuation") is { } token && token.Contains("after-m3", StringComparison.Ordinal), FakeResponse.Documents([Document("m2")], continuation: "after-m2"));

        var page = await _store.ListAsync("p1", new MemoryListQuery { Filter = UserIs("alice"), PageSize = 2, Today = s_today });

        Assert.Equal(["m3", "m2"], page.Items.Select(i => i.Id));
        Assert.NotNull(page.ContinuationToken);
        Assert.Contains(_gateway.Queries, q => q.Header("x-ms-continuation")?.Contains("after-m3", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ListAsync_NoUserFilter_FansOutOverProjectPrefix()
    {
        var filter = new ConditionFilter(FilterField.Of(FilterFieldKind.AgentId), FilterOperator.Eq, new StringValue("bot"));

        await _store.ListAsync("p1", new MemoryListQuery { Filter = filter, Today = s_today, IncludeExpired = true });

        var query = Assert.Single(_gateway.Queries);
        Assert.Null(query.PartitionKey);
        Assert.DoesNotContain("expirationDate", query.QueryText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_Hits_MapsScoresClampedToUnitRange()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([Document("m1", score: 1.2), Document("m2", score: 0.42), Document("m3", score: -0.3)]));

        var hits = await _store.SearchAsync("p1", new MemorySearchQuery
        {
            Filter = UserIs("alice"),
            Vector = [0.6f, 0.8f],
            EmbeddingModel = "test-model",
            QueryText = "tea",
            TopK = 3,
            Signals = SearchSignals.Vector,
            Today = s_today,
        });

        Assert.Equal(["m1", "m2", "m3"], hits.Select(h => h.Memory.Id));
        Assert.Equal([1.0, 0.42, 0.0], hits.Select(h => h.Score));
        var query = Assert.Single(_gateway.Queries);
        Assert.Equal("""["p1","alice"]""", query.PartitionKey);
        Assert.StartsWith("SELECT TOP @k ", query.QueryText, StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY VectorDistance(c.embedding, @vector)", query.QueryText, StringComparison.Ordinal);
        Assert.Equal(3, query.QueryParameters["@k"]!.GetValue<int>());
        Assert.Equal([0.6f, 0.8f], query.QueryParameters["@vector"]!.AsArray().Select(n => n!.GetValue<float>()));
        Assert.Equal("test-model", query.QueryParameters["@embeddingModel"]!.GetValue<string>());
    }

    [Fact]
    public async Task SearchAsync_KeywordSearch_RanksWithRrfAndTermParameters()
    {
        await _store.SearchAsync("p1", new MemorySearchQuery
        {
            Filter = UserIs("alice"),
            Vector = [1f, 0f],
            EmbeddingModel = "m",
            QueryText = "Green tea, green!",
            KeywordSearch = true,
            Today = s_today,
        });

        var query = Assert.Single(_gateway.Queries);
        Assert.EndsWith("ORDER BY RANK RRF(VectorDistance(c.embedding, @vector), FullTextScore(c.memory, @term0, @term1), [1, 1])", query.QueryText, StringComparison.Ordinal);
        Assert.Equal("green", query.QueryParameters["@term0"]!.GetValue<string>());
        Assert.Equal("tea", query.QueryParameters["@term1"]!.GetValue<string>());
    }

    [Fact]
    public async Task SearchAsync_DatedQuery_ReadsCandidatesAndRanksTheInPeriodMemoryFirst()
    {
        var may = new DateTimeOffset(2024, 5, 2, 9, 0, 0, TimeSpan.Zero);
        var july = new DateTimeOffset(2023, 7, 14, 9, 0, 0, TimeSpan.Zero);
        var documents = Enumerable.Range(0, 8).Select(i =>
        {
            var created = i == 6 ? july : may;
            var document = CosmosDocuments.Memory.Document(Record("m" + i) with { CreatedAt = created, UpdatedAt = created });
            document["_etag"] = "\"e\"";
            document["score"] = 0.9 - (i * 0.01);
            return document;
        }).ToList();
        _gateway.On(r => r.IsQuery && r.QueryParameters.ContainsKey("@k"), FakeResponse.Documents(documents));

        var hits = await _store.SearchAsync("p1", new MemorySearchQuery
        {
            Filter = UserIs("alice"),
            Vector = [0.6f, 0.8f],
            EmbeddingModel = "test-model",
            QueryText = "Where did she travel in July 2023?",
            TopK = 3,
            Today = s_today,
        });

        Assert.Equal(["m6", "m0", "m1"], hits.Select(h => h.Memory.Id));
        Assert.Equal(0.84, hits[0].Score, 5);
        var query = _gateway.Queries[0];
        Assert.Equal(HybridRanking.CandidateDepth(3), query.QueryParameters["@k"]!.GetValue<int>());
        Assert.Contains("ORDER BY RANK RRF(VectorDistance(c.embedding, @vector), FullTextScore(c.memory, ", query.QueryText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_NeighbourOfTheBestHit_MovesUpBelowItButNotTwoHoursAwayOrInAnotherScope()
    {
        var turn = new DateTimeOffset(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);
        JsonObject Turn(string id, TimeSpan offset, double score, string user = "alice")
        {
            var document = CosmosDocuments.Memory.Document(Record(id, user) with { CreatedAt = turn + offset, UpdatedAt = turn + offset });
            document["_etag"] = "\"e\"";
            document["score"] = score;
            return document;
        }

        // The fused query's order: the best hit, ten others hours later, then three weak ones. The reads around the best
        // hit return its next turn (more similar than the hit itself), one two hours later and one of another user:
        // the fake does not evaluate the window or the scope, so the store must not trust them blindly.
        var next = Turn("next", TimeSpan.FromMinutes(1), 0.95);
        var late = Turn("late", TimeSpan.FromHours(2), 0.95);
        var bobs = Turn("bobs", TimeSpan.FromMinutes(-2), 0.95, user: "bob");
        var hits = new List<JsonObject> { Turn("best", TimeSpan.Zero, 0.9) };
        hits.AddRange(Enumerable.Range(1, 10).Select(i => Turn("x" + i, TimeSpan.FromHours(3 * i), 0.9 - (i * 0.01))));
        hits.AddRange([(JsonObject)next.DeepClone(), (JsonObject)late.DeepClone(), (JsonObject)bobs.DeepClone()]);
        _gateway.On(r => r.IsQuery && r.QueryParameters.ContainsKey("@k"), FakeResponse.Documents(hits));
        bool ReadOfBest(RecordedRequest r, string bound) =>
            r.IsQuery && r.QueryParameters.ContainsKey(bound) && r.QueryParameters["@at"]!.GetValue<string>() == CosmosJson.FormatTime(turn);
        _gateway.On(r => ReadOfBest(r, "@from"), FakeResponse.Documents([bobs]));
        _gateway.On(r => ReadOfBest(r, "@to"), FakeResponse.Documents([next, late]));

        var found = await _store.SearchAsync("p1", new MemorySearchQuery
        {
            Filter = UserIs("alice"),
            Vector = [0.6f, 0.8f],
            EmbeddingModel = "test-model",
            QueryText = "What did Caroline adopt?",
            TopK = 5,
            Today = s_today,
        });

        Assert.Equal(["best", "next", "x1", "x2", "x3"], found.Select(h => h.Memory.Id));
        Assert.Equal(0.95, found[1].Score, 5);

        // Two reads per anchor (the best 3), each in the anchor's owner partition, TOP 2 per side + the anchor.
        var reads = _gateway.Queries.Skip(1).ToList();
        Assert.Equal(6, reads.Count);
        Assert.All(reads, r => Assert.Equal("""["p1","alice"]""", r.PartitionKey));
        Assert.All(reads, r => Assert.Equal(3, r.QueryParameters["@n"]!.GetValue<int>()));
        Assert.Equal(3, reads.Count(r => r.QueryParameters.ContainsKey("@from")));
        Assert.Contains(reads, r => r.QueryParameters.ContainsKey("@to") && r.QueryParameters["@to"]!.GetValue<string>() == CosmosJson.FormatTime(turn.AddHours(1)));
    }

    [Fact]
    public async Task SearchAsync_WithoutTheNeighbourSignal_ReadsNoNeighbours()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([Document("m1", score: 0.9), Document("m2", score: 0.8)]));

        var hits = await _store.SearchAsync("p1", new MemorySearchQuery
        {
            Filter = UserIs("alice"),
            Vector = [0.6f, 0.8f],
            EmbeddingModel = "test-model",
            QueryText = "What did Caroline adopt?",
            Signals = SearchSignals.All & ~SearchSignals.Neighbour,
            Today = s_today,
        });

        Assert.Equal(["m1", "m2"], hits.Select(h => h.Memory.Id));
        Assert.Single(_gateway.Queries);
    }

    [Fact]
    public async Task CountAsync_ReturnsCountValue()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([7]));

        var count = await _store.CountAsync("p1", UserIs("alice"), includeExpired: false, s_today);

        Assert.Equal(7, count);
        Assert.StartsWith("SELECT VALUE COUNT(1) FROM c WHERE", Assert.Single(_gateway.Queries).QueryText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHistoryAsync_QueriesHistoryPartitionOfMemory()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([CosmosDocuments.History.Document(History("m1"))]));

        var history = await _store.GetHistoryAsync("p1", "m1");

        var entry = Assert.Single(history);
        Assert.Equal(HistoryEvent.Add, entry.Event);
        Assert.Equal("alice", entry.Scope.UserId);
        var query = Assert.Single(_gateway.Queries);
        Assert.StartsWith("dbs/mem0/colls/history", query.Path, StringComparison.Ordinal);
        Assert.Equal("""["p1","m1"]""", query.PartitionKey);
        Assert.EndsWith("ORDER BY c.createdAt ASC", query.QueryText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_SingleAdd_WritesHistoryFirstThenMemoryInOwnerPartition()
    {
        _gateway.On(r => r.Method == HttpMethod.Post && !r.IsQuery, FakeResponse.Written());

        await _store.ApplyAsync("p1", new MemoryChangeSet { Added = [Record("m1")], History = [History("m1")] });

        var writes = _gateway.DocumentRequests;
        Assert.Equal(2, writes.Count);
        Assert.Equal(HistoryDocs, writes[0].Path);
        Assert.Equal("""["p1","m1"]""", writes[0].PartitionKey);
        Assert.Equal(MemoriesDocs, writes[1].Path);
        Assert.Equal("""["p1","alice"]""", writes[1].PartitionKey);
        var body = JsonNode.Parse(writes[1].Body)!;
        Assert.Equal("alice", body["ownerKey"]!.GetValue<string>());
        Assert.Equal("Likes tea", body["memory"]!.GetValue<string>());
        Assert.Equal("2025-01-02T03:04:05.0000000Z", body["createdAt"]!.GetValue<string>());
        Assert.Null(body["_etag"]);
    }

    [Fact]
    public async Task ApplyAsync_UpdateWithEtag_SendsIfMatch()
    {
        _gateway.On(r => Is(r, HttpMethod.Put, MemoriesDocs), FakeResponse.Written(HttpStatusCode.OK));

        await _store.ApplyAsync("p1", new MemoryChangeSet { Updated = [Record("m1", etag: "\"e7\"")] });

        var put = Assert.Single(_gateway.DocumentRequests);
        Assert.Equal(MemoriesDocs + "/m1", put.Path);
        Assert.Equal("\"e7\"", put.Header("if-match"));
    }

    [Fact]
    public async Task ApplyAsync_LostRace412_ThrowsConflictAndRemovesOrphanHistory()
    {
        _gateway.On(r => Is(r, HttpMethod.Post, HistoryDocs), FakeResponse.Written());
        _gateway.On(r => Is(r, HttpMethod.Put, MemoriesDocs), FakeResponse.Error(HttpStatusCode.PreconditionFailed));
        _gateway.On(r => Is(r, HttpMethod.Delete, HistoryDocs), FakeResponse.Written(HttpStatusCode.NoContent));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.ApplyAsync("p1", new MemoryChangeSet { Updated = [Record("m1", etag: "\"old\"")], History = [History("m1", HistoryEvent.Update)] }));

        var delete = _gateway.DocumentRequests.Last();
        Assert.Equal(HttpMethod.Delete, delete.Method);
        Assert.Equal(HistoryDocs + "/h-m1", delete.Path);
    }

    [Fact]
    public async Task ApplyAsync_DeleteOfMissingMemory_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<MemoryNotFoundException>(() =>
            _store.ApplyAsync("p1", new MemoryChangeSet { Deleted = [Record("gone")] }));

        var delete = Assert.Single(_gateway.DocumentRequests);
        Assert.Equal(HttpMethod.Delete, delete.Method);
        Assert.Null(delete.Header("if-match"));
    }

    [Fact]
    public async Task ApplyAsync_CreateOfExistingId409_ThrowsConflict()
    {
        _gateway.On(r => Is(r, HttpMethod.Post, MemoriesDocs), FakeResponse.Error(HttpStatusCode.Conflict));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.ApplyAsync("p1", new MemoryChangeSet { Added = [Record("m1")] }));
    }

    [Fact]
    public async Task ApplyAsync_RetriedHistoryEntry409_IsTreatedAsWritten()
    {
        _gateway.On(r => Is(r, HttpMethod.Post, HistoryDocs), FakeResponse.Error(HttpStatusCode.Conflict));
        _gateway.On(r => Is(r, HttpMethod.Post, MemoriesDocs), FakeResponse.Written());

        await _store.ApplyAsync("p1", new MemoryChangeSet { Added = [Record("m1")], History = [History("m1")] });

        Assert.Equal(2, _gateway.DocumentRequests.Count);
    }

    [Fact]
    public async Task ApplyAsync_ThrottledWrite_ThrowsThrottledWithRetryAfter()
    {
        _gateway.On(r => Is(r, HttpMethod.Post, MemoriesDocs), FakeResponse.Error(HttpStatusCode.TooManyRequests, retryAfterMs: 1500));

        var error = await Assert.ThrowsAsync<ThrottledException>(() => _store.ApplyAsync("p1", new MemoryChangeSet { Added = [Record("m1")] }));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), error.RetryAfter);
    }

    [Fact]
    public async Task SearchAsync_ThrottledQuery_ThrowsThrottled()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Error(HttpStatusCode.TooManyRequests, retryAfterMs: 200));

        await Assert.ThrowsAsync<ThrottledException>(() => _store.SearchAsync("p1", new MemorySearchQuery
        {
            Filter = UserIs("alice"),
            Vector = [1f],
            EmbeddingModel = "m",
            QueryText = "q",
            Today = s_today,
        }));
    }

    [Fact]
    public async Task ApplyAsync_SeveralWritesInOnePartition_UseOneTransactionalBatch()
    {
        _gateway.On(r => r.Header("x-ms-cosmos-is-batch-request") is not null, FakeResponse.Error(HttpStatusCode.PreconditionFailed));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _store.ApplyAsync("p1", new MemoryChangeSet { Added = [Record("m1")], Updated = [Record("m2", etag: "\"e\"")] }));

        var batch = Assert.Single(_gateway.DocumentRequests);
        Assert.Equal("""["p1","alice"]""", batch.PartitionKey);
        Assert.Equal("True", batch.Header("x-ms-cosmos-batch-atomic"), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GetUndispatchedAsync_QueriesAcrossProjectsOldestFirst()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([CosmosDocuments.History.Document(History("m1"))]));

        var pending = await _store.GetUndispatchedAsync(10);

        Assert.Equal("m1", Assert.Single(pending).MemoryId);
        var query = Assert.Single(_gateway.Queries);
        Assert.Contains("c.dispatched = false ORDER BY c.createdAt ASC", query.QueryText, StringComparison.Ordinal);
        Assert.Equal(10, query.QueryParameters["@n"]!.GetValue<int>());
    }

    [Fact]
    public async Task MarkDispatchedAsync_PatchesEachEntryInItsPartition()
    {
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([new { id = "h-m1", projectId = "p1", memoryId = "m1" }]));
        _gateway.On(r => r.Method == HttpMethod.Patch, FakeResponse.Written(HttpStatusCode.OK));

        await _store.MarkDispatchedAsync(["h-m1", "unknown"]);

        var patch = _gateway.DocumentRequests.Last();
        Assert.Equal(HttpMethod.Patch, patch.Method);
        Assert.Equal(HistoryDocs + "/h-m1", patch.Path);
        Assert.Equal("""["p1","m1"]""", patch.PartitionKey);
        Assert.Contains("/dispatched", patch.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyAsync_HistoryDocument_IsWrittenUndispatched()
    {
        _gateway.On(r => r.Method == HttpMethod.Post && !r.IsQuery, FakeResponse.Written());

        await _store.ApplyAsync("p1", new MemoryChangeSet { Added = [Record("m1")], History = [History("m1")] });

        Assert.False(JsonNode.Parse(_gateway.DocumentRequests[0].Body)!["dispatched"]!.GetValue<bool>());
    }
}
