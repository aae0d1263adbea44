using Mem0.Azure.Cosmos;
using Mem0.Azure.Identity;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>
/// The behaviour the fake gateway cannot show (vector ranking, RRF, filters evaluated by Cosmos DB), against a real
/// account with the vector and full-text features enabled. Each test uses a fresh project id, so runs do not collide.
/// </summary>
public sealed class LiveCosmosStoreTests
{
    private static readonly DateOnly s_today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static async Task<(CosmosMemoryStore Store, string ProjectId)> CreateAsync()
    {
        var options = new CosmosOptions
        {
            Endpoint = Environment.GetEnvironmentVariable(LiveCosmosFactAttribute.EndpointVariable)!,
            Key = Environment.GetEnvironmentVariable(LiveCosmosFactAttribute.KeyVariable),
            DatabaseName = Environment.GetEnvironmentVariable("MEM0_LIVE_COSMOS_DATABASE") ?? "mem0-tests",
            EmbeddingDimensions = 4,
            VectorIndexType = CosmosVectorIndexKind.QuantizedFlat,
            CreateIfMissing = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LiveCosmosFactAttribute.KeyVariable)),
        };
        // Without the key, the developer's Entra sign-in (the database and containers must exist then: data-plane roles
        // cannot create them).
        var credential = string.IsNullOrEmpty(options.Key) ? AzureCredentialFactory.Create(new AzureIdentityOptions { Credential = AzureCredentialKind.Developer }) : null;
        var containers = new CosmosContainers(CosmosClientFactory.Create(options, credential), CosmosLayout.LoadEmbedded().WithOverrides(options));
        var verifier = new CosmosLayoutVerifier(
            containers, Options.Create(options), new CosmosReadiness(TimeProvider.System), TimeProvider.System, NullLogger<CosmosLayoutVerifier>.Instance);
        Assert.Empty(await verifier.VerifyAsync());
        return (new CosmosMemoryStore(containers, FakeCosmosGateway.CreateTelemetry()), "live-" + Guid.NewGuid().ToString("N"));
    }

    private static MemoryRecord Memory(string projectId, string id, string text, float[] vector) => CosmosMemoryStoreTests.Record(id, text: text) with
    {
        ProjectId = projectId,
        Embedding = vector,
        Hash = "h-" + id,
    };

    private static FilterNode Alice => new ConditionFilter(FilterField.Of(FilterFieldKind.UserId), FilterOperator.Eq, new StringValue("alice"));

    [LiveCosmosFact]
    public async Task SearchAsync_VectorOrder_NearestFirstWithSimilarityScore()
    {
        var (store, projectId) = await CreateAsync();
        await store.ApplyAsync(projectId, new MemoryChangeSet
        {
            Added = [Memory(projectId, "near", "Likes green tea", [1, 0, 0, 0]), Memory(projectId, "far", "Plays chess", [0, 1, 0, 0])],
        });

        var hits = await store.SearchAsync(projectId, new MemorySearchQuery
        {
            Filter = Alice,
            Vector = [0.9f, 0.1f, 0, 0],
            EmbeddingModel = "test-model",
            QueryText = "tea",
            Today = s_today,
        });

        Assert.Equal(["near", "far"], hits.Select(h => h.Memory.Id));
        Assert.InRange(hits[0].Score, 0.9, 1.0);
    }

    [LiveCosmosFact]
    public async Task SearchAsync_KeywordSearch_RunsRrf()
    {
        var (store, projectId) = await CreateAsync();
        await store.ApplyAsync(projectId, new MemoryChangeSet
        {
            Added = [Memory(projectId, "tea", "Likes green tea", [0, 1, 0, 0]), Memory(projectId, "chess", "Plays chess", [1, 0, 0, 0])],
        });

        var hits = await store.SearchAsync(projectId, new MemorySearchQuery
        {
            Filter = Alice,
            Vector = [0.5f, 0.5f, 0, 0],
            EmbeddingModel = "test-model",
            QueryText = "green tea",
            KeywordSearch = true,
            Today = s_today,
        });

        Assert.Equal(2, hits.Count);
        Assert.Equal("tea", hits[0].Memory.Id);
    }

    [LiveCosmosFact]
    public async Task SearchAsync_DatedQuery_RanksTheInPeriodMemoryFirstAndKeepsTheOther()
    {
        var (store, projectId) = await CreateAsync();
        var july = new DateTimeOffset(2023, 7, 14, 9, 0, 0, TimeSpan.Zero);
        await store.ApplyAsync(projectId, new MemoryChangeSet
        {
            Added =
            [
                Memory(projectId, "near", "Went hiking in the hills", [1, 0, 0, 0]),
                Memory(projectId, "july", "Went hiking by the lake", [0.8f, 0.6f, 0, 0]) with { CreatedAt = july, UpdatedAt = july },
            ],
        });

        var hits = await store.SearchAsync(projectId, new MemorySearchQuery
        {
            Filter = Alice,
            Vector = [1, 0, 0, 0],
            EmbeddingModel = "test-model",
            QueryText = "Where did she go hiking in July 2023?",
            Today = s_today,
        });

        Assert.Equal(["july", "near"], hits.Select(h => h.Memory.Id));
    }

    [LiveCosmosFact]
    public async Task SearchAsync_TurnAfterTheBestHit_RisesAboveAMoreSimilarMemoryTwoHoursLater()
    {
        var (store, projectId) = await CreateAsync();
        var at = new DateTimeOffset(2023, 5, 8, 13, 56, 0, TimeSpan.Zero);
        MemoryRecord Turn(string id, string text, float[] vector, TimeSpan offset) =>
            Memory(projectId, id, text, vector) with { CreatedAt = at + offset, UpdatedAt = at + offset };
        await store.ApplyAsync(projectId, new MemoryChangeSet
        {
            Added =
            [
                Turn("hit", "Caroline: guess what, I went to the adoption agency", [1, 0, 0, 0], TimeSpan.Zero),
                Turn("next", "Melanie: wow, how did it go?", [0, 0, 1, 0], TimeSpan.FromMinutes(1)),
                Turn("late", "Caroline: the agency was closed today", [0.6f, 0.8f, 0, 0], TimeSpan.FromHours(2)),
            ],
        });

        var hits = await store.SearchAsync(projectId, new MemorySearchQuery
        {
            Filter = Alice,
            Vector = [1, 0, 0, 0],
            EmbeddingModel = "test-model",
            QueryText = "What happened at the adoption agency?",
            Today = s_today,
        });

        Assert.Equal(["hit", "next", "late"], hits.Select(h => h.Memory.Id));
    }

    [LiveCosmosFact]
    public async Task ApplyAsync_StaleEtag_ThrowsConflictAndKeepsCurrentText()
    {
        var (store, projectId) = await CreateAsync();
        await store.ApplyAsync(projectId, new MemoryChangeSet { Added = [Memory(projectId, "m1", "v1", [1, 0, 0, 0])] });
        var read = (await store.GetAsync(projectId, "m1"))!;
        await store.ApplyAsync(projectId, new MemoryChangeSet { Updated = [read with { Text = "v2" }] });

        await Assert.ThrowsAsync<Core.Common.ConcurrencyConflictException>(() =>
            store.ApplyAsync(projectId, new MemoryChangeSet { Updated = [read with { Text = "v3" }] }));

        Assert.Equal("v2", (await store.GetAsync(projectId, "m1"))!.Text);
    }
}
