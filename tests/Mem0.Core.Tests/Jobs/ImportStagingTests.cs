using System.Text;
using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Jobs;
using Mem0.Core.Memories;
using Mem0.Testing.Stores;

namespace Mem0.Core.Tests.Jobs;

public sealed class ImportStagingTests
{
    private readonly InMemoryJobPayloadStore _payloads = new();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task StageAsync_BareArrayReadInSmallPieces_StagesEveryItemInChunks(int readSize)
    {
        var body = JsonSerializer.Serialize(Enumerable.Range(0, 23).Select(i => new { memory = $"fact {i} with \"quotes\" and ✓", user_id = "alice", metadata = new { n = i } }));

        var staged = await StageAsync(body, readSize, batchSize: 5);

        Assert.Equal(23, staged.Total);
        Assert.Equal(5, staged.ChunkCount);
        Assert.False(staged.Infer);
        var last = await ImportStaging.ReadChunkAsync(_payloads, ImportStaging.ChunkKey(staged.PayloadPrefix, 4));
        Assert.Equal([20, 21, 22], last.Select(i => i.Index));
        Assert.Equal("fact 22 with \"quotes\" and ✓", last[2].Text);
        Assert.Equal(22, last[2].Metadata!.Value.GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task StageAsync_HundredThousandItems_StagesAllInChunks()
    {
        var body = new StringBuilder("[");
        for (var i = 0; i < 100_000; i++)
        {
            body.Append(i == 0 ? "" : ",").Append("{\"memory\":\"fact ").Append(i).Append("\",\"user_id\":\"u\"}");
        }

        var staged = await StageAsync(body.Append(']').ToString(), 64 * 1024);

        Assert.Equal(100_000, staged.Total);
        Assert.Equal(391, staged.ChunkCount);
        Assert.Equal(391, _payloads.Keys.Count);
        var last = await ImportStaging.ReadChunkAsync(_payloads, ImportStaging.ChunkKey(staged.PayloadPrefix, 390));
        Assert.Equal("fact 99999", last[^1].Text);
    }

    [Fact]
    public async Task StageAsync_ObjectWithItemsAndInferAfterwards_ReadsBoth()
    {
        var staged = await StageAsync("""{"items": [{"text": "a", "agent_id": "bot"}, {"content": "b", "run_id": "r1"}], "other": {"x": [1]}, "infer": true}""", 3);

        Assert.Equal(2, staged.Total);
        Assert.True(staged.Infer);
        var chunk = await ImportStaging.ReadChunkAsync(_payloads, ImportStaging.ChunkKey(staged.PayloadPrefix, 0));
        Assert.Equal(new MemoryScope(AgentId: "bot"), chunk[0].Scope);
        Assert.Equal("b", chunk[1].Text);
    }

    [Fact]
    public async Task StageAsync_InferQueryOverride_WinsOverBody()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""{"infer": true, "items": [{"text": "a", "user_id": "u"}]}"""));

        var staged = await ImportStaging.StageAsync(stream, "p/e/", false, _payloads, new JobsOptions());

        Assert.False(staged.Infer);
    }

    [Theory]
    [InlineData("\"text\"")]
    [InlineData("[{\"memory\": \"a\", \"user_id\": \"u\"}")]
    [InlineData("[]")]
    [InlineData("[{\"memory\": \"a\" \"user_id\": \"u\"}]")]
    public async Task StageAsync_BadBody_ThrowsValidationAndLeavesNothingStaged(string body)
    {
        await Assert.ThrowsAsync<ValidationException>(() => StageAsync(body, 2, batchSize: 1));

        Assert.Empty(_payloads.Keys);
    }

    [Fact]
    public async Task StageAsync_MoreThanMaxItems_ThrowsValidation()
    {
        var body = JsonSerializer.Serialize(Enumerable.Range(0, 4).Select(i => new { memory = $"f{i}", user_id = "u" }));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(body));

        var error = await Assert.ThrowsAsync<ValidationException>(
            () => ImportStaging.StageAsync(stream, "p/e/", null, _payloads, new JobsOptions { MaxImportItems = 3, ImportBatchSize = 2 }));

        Assert.Contains("at most 3 items", error.Message, StringComparison.Ordinal);
        Assert.Empty(_payloads.Keys);
    }

    [Theory]
    [InlineData("""{"user_id": "u"}""", "'memory', 'text' or 'content'")]
    [InlineData("""{"memory": "a"}""", "user_id")]
    [InlineData("""{"memory": 5, "user_id": "u"}""", "'memory' must be a string")]
    [InlineData("""{"memory": "a", "user_id": "u", "metadata": [1]}""", "'metadata' must be an object")]
    [InlineData("""[1, 2]""", "JSON object")]
    [InlineData("""{"memory": "a", "user_id": "u", "metadata": {"k": "\ud800"}}""", "not valid Unicode")]
    [InlineData("""{"memory": "a", "user_id": "u", "metadata": {"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":1}}}}}}}}}}}}}}}}}}""", "nested too deeply")]
    public void Parse_InvalidItem_CarriesTheReason(string json, string reason)
    {
        var item = ImportStaging.Parse(JsonDocument.Parse(json).RootElement, 7);

        Assert.Equal(7, item.Index);
        Assert.Contains(reason, item.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TextOverTheMessageLimit_IsAFailedItem()
    {
        var json = JsonSerializer.Serialize(new { memory = new string('a', Mem0.Core.Http.RequestLimits.MaxMessageChars + 1), user_id = "u" });

        var item = ImportStaging.Parse(JsonDocument.Parse(json).RootElement, 3);

        Assert.Contains("at most", item.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DeterministicId_SameProjectScopeAndText_IsStableAndUuidShaped()
    {
        var first = MemoryService.DeterministicId("p1", new MemoryScope("alice"), "likes tea");

        Assert.Equal(first, MemoryService.DeterministicId("p1", new MemoryScope("alice"), "likes tea"));
        Assert.NotEqual(first, MemoryService.DeterministicId("p1", new MemoryScope("bob"), "likes tea"));
        Assert.NotEqual(first, MemoryService.DeterministicId("p2", new MemoryScope("alice"), "likes tea"));
        Assert.True(Guid.TryParse(first, out _));
    }

    private async Task<StagedImport> StageAsync(string body, int readSize, int batchSize = 256)
    {
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(body), readSize);
        return await ImportStaging.StageAsync(stream, "p1/e1/", null, _payloads, new JobsOptions { ImportBatchSize = batchSize });
    }

    /// <summary>Returns at most <c>readSize</c> bytes per read, to exercise tokens split across reads.</summary>
    private sealed class TrickleStream(byte[] data, int readSize) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, readSize)], cancellationToken);
    }
}
