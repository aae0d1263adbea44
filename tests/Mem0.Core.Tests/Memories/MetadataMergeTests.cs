using System.Text.Json;
using Mem0.Core.Memories;

namespace Mem0.Core.Tests.Memories;

public sealed class MetadataMergeTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Merge_TwoObjects_ReplacesTopLevelKeysAndKeepsOthers()
    {
        var merged = MetadataMerge.Merge(Json("""{"a": 1, "b": {"x": 1}}"""), Json("""{"b": {"y": 2}, "c": null}"""));

        Assert.Equal("""{"a":1,"b":{"y":2},"c":null}""", merged!.Value.GetRawText());
    }

    [Fact]
    public void Merge_NoPatch_KeepsExisting()
    {
        Assert.Equal("""{"a": 1}""", MetadataMerge.Merge(Json("""{"a": 1}"""), null)!.Value.GetRawText());
    }

    [Fact]
    public void Merge_NoExisting_TakesPatch()
    {
        Assert.Equal("""{"a":2}""", MetadataMerge.Merge(null, Json("""{"a":2}"""))!.Value.GetRawText());
    }
}
