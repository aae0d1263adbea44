using Mem0.Core.Common;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Testing.Engine;
using Mem0.Testing.Stores;
using Moq;

namespace Mem0.Core.Tests.Memories;

public sealed class MemoryServiceTests
{
    private static readonly MemoryScope Alice = new(UserId: "alice");

    private static SearchMemoriesRequest Search(string query) => new()
    {
        ProjectId = EngineHarness.ProjectId,
        Query = query,
        Filter = FilterScopes.Entity(EntityType.User, "alice"),
    };

    [Theory]
    [InlineData("  ", 10, 0.1, "query")]
    [InlineData("tea", 0, 0.1, "top_k")]
    [InlineData("tea", 1001, 0.1, "top_k")]
    [InlineData("tea", 10, -0.1, "threshold")]
    [InlineData("tea", 10, 1.5, "threshold")]
    public async Task SearchAsync_InvalidRequest_ThrowsNamingTheField(string query, int topK, double threshold, string field)
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            harness.Service.SearchAsync(Search(query) with { TopK = topK, Threshold = threshold }));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public async Task SearchAsync_Threshold_DropsLowSemanticScores()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());
        await harness.Service.AddAsync(EngineHarness.Add(Alice, "Drinks green tea", "Owns a motorbike") with { Infer = false });

        var hits = await harness.Service.SearchAsync(Search("green tea") with { Threshold = 0.5 });

        Assert.Equal("Drinks green tea", Assert.Single(hits).Memory.Text);
    }

    [Fact]
    public async Task GetAsync_Missing_ThrowsNotFound()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());

        var ex = await Assert.ThrowsAsync<MemoryNotFoundException>(() => harness.Service.GetAsync(EngineHarness.ProjectId, "nope"));

        Assert.Equal("Memory not found!", ex.Message);
    }

    [Fact]
    public async Task UpdateAsync_ExpirationClearedAndTimestampGiven_AppliesBoth()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());
        var id = (await harness.Service.AddAsync(EngineHarness.Add(Alice, "Trip to Rome") with { Infer = false, ExpirationDate = new DateOnly(2030, 1, 1) })).Results[0].Id;
        var when = EngineHarness.Start.AddDays(2);

        var updated = await harness.Service.UpdateAsync(EngineHarness.ProjectId, id, new UpdateMemoryRequest { ClearExpirationDate = true, Timestamp = when });

        Assert.Null(updated.ExpirationDate);
        Assert.Equal(when, updated.UpdatedAt);
        Assert.Equal("Trip to Rome", updated.Text);
    }

    [Fact]
    public async Task UpdateAsync_NothingToChange_ThrowsValidation()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());

        await Assert.ThrowsAsync<ValidationException>(() => harness.Service.UpdateAsync(EngineHarness.ProjectId, "x", new UpdateMemoryRequest()));
    }

    [Fact]
    public async Task UpdateAsync_OneConflict_RetriesAndSucceeds()
    {
        var inner = new InMemoryMemoryStore();
        var harness = new EngineHarness(inner);
        var id = (await harness.Service.AddAsync(EngineHarness.Add(Alice, "Likes tea") with { Infer = false })).Results[0].Id;
        var store = ConflictingStore(inner, conflicts: 1);
        var service = new EngineHarness(store.Object).Service;

        var updated = await service.UpdateAsync(EngineHarness.ProjectId, id, new UpdateMemoryRequest { Text = "Likes coffee" });

        Assert.Equal("Likes coffee", updated.Text);
        store.Verify(s => s.ApplyAsync(It.IsAny<string>(), It.IsAny<MemoryChangeSet>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task UpdateAsync_TwoConflicts_ThrowsConflict()
    {
        var inner = new InMemoryMemoryStore();
        var harness = new EngineHarness(inner);
        var id = (await harness.Service.AddAsync(EngineHarness.Add(Alice, "Likes tea") with { Infer = false })).Results[0].Id;
        var service = new EngineHarness(ConflictingStore(inner, conflicts: 2).Object).Service;

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            service.UpdateAsync(EngineHarness.ProjectId, id, new UpdateMemoryRequest { Text = "Likes coffee" }));

        Assert.Equal("Likes tea", (await harness.Service.GetAsync(EngineHarness.ProjectId, id)).Text);
    }

    [Fact]
    public async Task BatchUpdateAsync_DuplicateIds_ThrowsValidation()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            harness.Service.BatchUpdateAsync(EngineHarness.ProjectId, [new("a", "x", null), new("a", "y", null)]));

        Assert.Equal("memories", ex.Field);
    }

    [Fact]
    public async Task BatchUpdateAsync_MoreThanMaximum_ThrowsValidationNamingLimit()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());
        var items = Enumerable.Range(0, 1001).Select(i => new BatchUpdateItem($"m{i}", "x", null)).ToList();

        var ex = await Assert.ThrowsAsync<ValidationException>(() => harness.Service.BatchUpdateAsync(EngineHarness.ProjectId, items));

        Assert.Contains("Maximum of 1000 memories", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchUpdateAsync_SeveralNewTexts_EmbedsInOneCall()
    {
        var harness = new EngineHarness(new InMemoryMemoryStore());
        var ids = (await harness.Service.AddAsync(EngineHarness.Add(Alice, "One", "Two", "Three") with { Infer = false })).Results.Select(r => r.Id).ToList();
        var before = harness.Embeddings.CallCount;

        await harness.Service.BatchUpdateAsync(EngineHarness.ProjectId, ids.Select((id, i) => new BatchUpdateItem(id, $"Number {i}", null)).ToList());

        Assert.Equal(before + 1, harness.Embeddings.CallCount);
    }

    /// <summary>A store whose first <paramref name="conflicts"/> writes fail with a concurrency conflict.</summary>
    private static Mock<IMemoryStore> ConflictingStore(InMemoryMemoryStore inner, int conflicts)
    {
        var remaining = conflicts;
        var store = new Mock<IMemoryStore>();
        store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string p, string id, CancellationToken ct) => inner.GetAsync(p, id, ct));
        store.Setup(s => s.ApplyAsync(It.IsAny<string>(), It.IsAny<MemoryChangeSet>(), It.IsAny<CancellationToken>()))
            .Returns((string p, MemoryChangeSet c, CancellationToken ct) =>
                remaining-- > 0 ? Task.FromException(new ConcurrencyConflictException("changed")) : inner.ApplyAsync(p, c, ct));
        return store;
    }
}
