using Mem0.Core.Memories;
using Mem0.Local.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Local.Tests.Storage;

/// <summary>The memory store's webhook outbox under an import-sized backlog.</summary>
public sealed class SqliteOutboxTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task MarkDispatchedAsync_PartOfABacklog_MarksExactlyThoseEntries()
    {
        var store = new SqliteMemoryStore(_database.Database, NullLogger<SqliteMemoryStore>.Instance);
        var now = DateTimeOffset.UnixEpoch;
        var history = Enumerable.Range(0, 600).Select(i => new HistoryEntry
        {
            Id = "h" + i,
            ProjectId = "p",
            MemoryId = "m" + i,
            Event = HistoryEvent.Add,
            NewMemory = "text",
            Scope = new MemoryScope("u"),
            CreatedAt = now,
            UpdatedAt = now,
        }).ToList();
        await store.ApplyAsync("p", new MemoryChangeSet { History = history });

        var first = await store.GetUndispatchedAsync(200);
        await store.MarkDispatchedAsync([.. first.Where((_, i) => i % 2 == 0).Select(e => e.Id), "unknown-id"]);
        await store.MarkDispatchedAsync([first[0].Id]);

        var left = new List<string>();
        for (var page = await store.GetUndispatchedAsync(1000); page.Count > 0; page = [])
        {
            left.AddRange(page.Select(e => e.Id));
        }

        Assert.Equal(500, left.Count);
        Assert.DoesNotContain(first[0].Id, left);
        Assert.Contains(first[1].Id, left);
    }

    [Fact]
    public async Task MarkDispatchedUpdate_WalksOnlyThePendingEntries()
    {
        await using var connection = await _database.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN UPDATE history SET dispatched = 1 WHERE dispatched = 0 AND id IN (SELECT value FROM json_each('[]'))";
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        Assert.Contains(plan, line => line.Contains("ix_history_undispatched", StringComparison.Ordinal));
    }
}
