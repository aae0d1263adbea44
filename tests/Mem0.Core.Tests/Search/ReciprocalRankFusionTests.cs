using Mem0.Core.Search;

namespace Mem0.Core.Tests.Search;

public sealed class ReciprocalRankFusionTests
{
    [Fact]
    public void Fuse_TwoRankings_OrdersBySummedReciprocalRank()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["a", "b", "c"], ["c", "b"]]);

        // c: 1/63 + 1/61 = 0.032266 edges out b: 1/62 + 1/62 = 0.032258; a: 1/61 alone.
        Assert.Equal(["c", "b", "a"], fused);
    }

    [Fact]
    public void Fuse_Ties_KeepFirstAppearance()
    {
        Assert.Equal(["x", "y"], ReciprocalRankFusion.Fuse<string>([["x"], ["y"]]));
    }
}
