using System.Net;
using System.Text.Json;
using Mem0.Azure.Cosmos;
using Mem0.Core.Common;
using Mem0.Core.Projects;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class CosmosProjectStoreTests : IDisposable
{
    private readonly FakeCosmosGateway _gateway = new();
    private readonly CosmosContainers _containers;
    private readonly CosmosProjectStore _store;

    public CosmosProjectStoreTests()
    {
        _containers = _gateway.CreateContainers();
        _store = new CosmosProjectStore(_containers, FakeCosmosGateway.CreateTelemetry());
    }

    public void Dispose()
    {
        _containers.Client.Dispose();
        _gateway.Dispose();
    }

    private static ApiKeyRecord Key(DateTimeOffset? revokedAt = null) => new()
    {
        Id = "k1",
        OrgId = "o1",
        ProjectId = "p1",
        Name = "default",
        KeyHash = "abc123",
        Prefix = "m0-ab",
        CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        RevokedAt = revokedAt,
    };

    [Fact]
    public async Task FindApiKeyByHashAsync_ActiveKey_IsOnePointReadByHash()
    {
        _gateway.On(r => r.Method == HttpMethod.Get, new FakeResponse(HttpStatusCode.OK, JsonSerializer.Serialize(CosmosDocuments.ApiKey.Document(Key()), CosmosJson.Options)));

        var key = await _store.FindApiKeyByHashAsync("abc123");

        Assert.NotNull(key);
        Assert.Equal("k1", key.Id);
        Assert.Equal("p1", key.ProjectId);
        var read = Assert.Single(_gateway.DocumentRequests);
        Assert.Equal("dbs/mem0/colls/apikeys/docs/abc123", read.Path);
        Assert.Equal("""["abc123"]""", read.PartitionKey);
    }

    [Fact]
    public async Task FindApiKeyByHashAsync_RevokedKey_ReturnsNull()
    {
        _gateway.On(r => r.Method == HttpMethod.Get, new FakeResponse(HttpStatusCode.OK, JsonSerializer.Serialize(CosmosDocuments.ApiKey.Document(Key(DateTimeOffset.UnixEpoch)), CosmosJson.Options)));

        Assert.Null(await _store.FindApiKeyByHashAsync("abc123"));
    }

    [Fact]
    public async Task FindApiKeyByHashAsync_Unknown_ReturnsNull()
    {
        Assert.Null(await _store.FindApiKeyByHashAsync("nope"));
    }

    [Fact]
    public async Task CreateProjectAsync_ExistingId_ThrowsConflict()
    {
        _gateway.On(r => r.Method == HttpMethod.Post, FakeResponse.Error(HttpStatusCode.Conflict));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.CreateProjectAsync(new Project
        {
            OrgId = "o1",
            ProjectId = "p1",
            Name = "Default",
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        }));
    }

    [Fact]
    public async Task RevokeApiKeyAsync_Found_ReplacesWithIfMatchAndRevokedAt()
    {
        var stored = JsonSerializer.SerializeToNode(CosmosDocuments.ApiKey.Document(Key()), CosmosJson.Options)!;
        stored["_etag"] = "\"k-etag\"";
        _gateway.On(r => r.IsQuery, FakeResponse.Documents([stored]));
        _gateway.On(r => r.Method == HttpMethod.Put, FakeResponse.Written(HttpStatusCode.OK));

        var revoked = await _store.RevokeApiKeyAsync("p1", "k1", new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.True(revoked);
        var put = _gateway.DocumentRequests.Last();
        Assert.Equal("dbs/mem0/colls/apikeys/docs/abc123", put.Path);
        Assert.Equal("\"k-etag\"", put.Header("if-match"));
        Assert.Contains("2025-02-01T00:00:00.0000000Z", put.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeApiKeyAsync_Unknown_ReturnsFalse()
    {
        Assert.False(await _store.RevokeApiKeyAsync("p1", "nope", DateTimeOffset.UnixEpoch));
    }
}
