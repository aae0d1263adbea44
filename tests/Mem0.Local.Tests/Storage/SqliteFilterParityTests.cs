using System.Text.Json;
using Mem0.Core.Filters;
using Mem0.Core.Memories;
using Mem0.Local.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mem0.Local.Tests.Storage;

/// <summary>The compiled SQL must select exactly what <see cref="FilterEvaluator"/> selects, filter by filter.</summary>
public sealed class SqliteFilterParityTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2024, 6, 1);

    private static readonly string?[] MetadataSamples =
    [
        null,
        """{}""",
        """{"k":"v","n":3}""",
        """{"k":"V","n":3.5,"b":true}""",
        """{"k":"10","n":"9","b":false}""",
        """{"k":null,"n":null}""",
        """{"k":["v","w",1],"n":[3]}""",
        """{"k":{"x":"v"},"n":{"y":1},"deep":{"a":{"b":"c"}}}""",
        """{"k":"prefix-v-suffix","n":-2,"deep":{"a":{"b":"C"}}}""",
        """{"k":"vé","n":1e3}""",
    ];

    private readonly SqliteTestDatabase _database = new();
    private readonly List<MemoryRecord> _memories = [];
    private SqliteMemoryStore? _store;

    public static TheoryData<string> Filters() =>
    [
        """{"metadata":{"k":"v"}}""",
        """{"metadata":{"k":{"ne":"v"}}}""",
        """{"metadata":{"k":{"in":["v","10",1]}}}""",
        """{"metadata":{"k":{"nin":["v"]}}}""",
        """{"metadata":{"k":{"contains":"v"}}}""",
        """{"metadata":{"k":{"icontains":"V"}}}""",
        """{"metadata":{"k":{"contains":1}}}""",
        """{"metadata":{"k":"*"}}""",
        """{"metadata":{"k":null}}""",
        """{"metadata":{"k":{"ne":null}}}""",
        """{"metadata":{"k":{"gt":"u"}}}""",
        """{"metadata":{"k":{"lte":"V"}}}""",
        """{"metadata":{"n":3}}""",
        """{"metadata":{"n":{"gt":3}}}""",
        """{"metadata":{"n":{"gte":3}}}""",
        """{"metadata":{"n":{"lt":3}}}""",
        """{"metadata":{"n":{"lte":"9"}}}""",
        """{"metadata":{"n":{"gt":10}}}""",
        """{"metadata":{"n":{"in":[3,1000]}}}""",
        """{"metadata":{"n":{"contains":3}}}""",
        """{"metadata":{"b":true}}""",
        """{"metadata":{"b":{"ne":false}}}""",
        """{"metadata":{"deep":{"a":{"b":"c"}}}}""",
        """{"metadata.deep.a.b":{"icontains":"c"}}""",
        """{"metadata.deep.a":"*"}""",
        """{"metadata":{"missing":{"nin":[1]}}}""",
        """{"metadata":{"k":{"in":[]}}}""",
        """{"metadata":{"k":{"nin":[]}}}""",
        """{"categories":{"in":["A","c"]}}""",
        """{"categories":{"nin":["a"]}}""",
        """{"categories":{"contains":"B"}}""",
        """{"categories":{"ne":"b"}}""",
        """{"categories":"*"}""",
        """{"categories":null}""",
        """{"user_id":{"icontains":"U"}}""",
        """{"run_id":{"ne":"r1"}}""",
        """{"run_id":null}""",
        """{"user_id":{"nin":[]}}""",
        """{"created_at":{"gt":"2024-05-03"}}""",
        """{"updated_at":{"lte":1714845600}}""",
        """{"created_at":{"nin":["2024-05-01T12:00:00Z"]}}""",
        """{"keywords":"memory 1"}""",
        """{"keywords":{"icontains":"MEMORY"}}""",
        """{"NOT":{"OR":[{"metadata":{"n":{"gt":0}}},{"categories":{"in":["a"]}}]}}""",
        """{"AND":[{"NOT":{"metadata":{"k":"v"}}},{"NOT":{"metadata":{"n":{"lt":100}}}}]}""",
    ];

    public async Task InitializeAsync()
    {
        _store = new SqliteMemoryStore(_database.Database, NullLogger<SqliteMemoryStore>.Instance);
        string[][] categories = [[], ["a"], ["B", "c"], ["A"]];
        for (var i = 0; i < MetadataSamples.Length; i++)
        {
            JsonElement? metadata = null;
            if (MetadataSamples[i] is { } json)
            {
                using var document = JsonDocument.Parse(json);
                metadata = document.RootElement.Clone();
            }

            _memories.Add(new MemoryRecord
            {
                Id = "m" + i,
                ProjectId = "p",
                Text = $"Memory {i} text",
                Hash = "h" + i,
                Embedding = [1f],
                EmbeddingModel = "m",
                Scope = new MemoryScope(UserId: i % 2 == 0 ? "user" : null, RunId: i % 3 == 0 ? "r1" : null, AgentId: "agent"),
                Metadata = metadata,
                Categories = categories[i % categories.Length],
                CreatedAt = T0.AddDays(i),
                UpdatedAt = T0.AddDays(i).AddHours(1),
            });
        }

        await _store.ApplyAsync("p", new MemoryChangeSet { Added = _memories });
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task ListAsync_Filter_SameAsEvaluator(string json)
    {
        var filter = FilterParser.Parse(json);
        var expected = _memories.Where(m => FilterEvaluator.Matches(filter, m)).Select(m => m.Id).Order(StringComparer.Ordinal).ToList();

        var page = await _store!.ListAsync("p", new MemoryListQuery { Filter = filter, Today = Today, PageSize = 100 });

        Assert.Equal(expected, page.Items.Select(m => m.Id).Order(StringComparer.Ordinal));
    }
}
