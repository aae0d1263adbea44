using Mem0.Azure.Cosmos;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Tests.Cosmos;

public sealed class CosmosLayoutTests
{
    private readonly CosmosLayout _layout = CosmosLayout.LoadEmbedded();

    [Fact]
    public void LoadEmbedded_MatchesInfraFile()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "infra", "cosmos-containers.json");
        var fromDisk = CosmosLayout.Parse(File.ReadAllText(file));

        Assert.Equal(fromDisk.Containers.Select(c => c.Name), _layout.Containers.Select(c => c.Name));
        Assert.Equal(fromDisk.Vector, _layout.Vector);
        Assert.Equal("mem0", _layout.DatabaseName);
    }

    [Fact]
    public void BuildContainerProperties_Memories_HasHierarchicalKeysVectorAndFullTextPolicies()
    {
        var properties = _layout.BuildContainerProperties(CosmosContainerNames.Memories);

        Assert.Equal(["/projectId", "/ownerKey"], properties.PartitionKeyPaths);
        var embedding = Assert.Single(properties.VectorEmbeddingPolicy.Embeddings);
        Assert.Equal("/embedding", embedding.Path);
        Assert.Equal(1536, embedding.Dimensions);
        Assert.Equal(DistanceFunction.Cosine, embedding.DistanceFunction);
        Assert.Equal(VectorDataType.Float32, embedding.DataType);
        Assert.Equal(VectorIndexType.DiskANN, Assert.Single(properties.IndexingPolicy.VectorIndexes).Type);
        Assert.Contains(properties.IndexingPolicy.ExcludedPaths, p => p.Path == "/embedding/*");
        Assert.Equal(["/memory", "/entityText"], properties.FullTextPolicy.FullTextPaths.Select(p => p.Path));
        Assert.Equal(["/memory", "/entityText"], properties.IndexingPolicy.FullTextIndexes.Select(i => i.Path));
        Assert.Null(properties.DefaultTimeToLive);
    }

    [Fact]
    public void BuildContainerProperties_Events_HasTtlAndNoVectorPolicy()
    {
        var properties = _layout.BuildContainerProperties(CosmosContainerNames.Events);

        Assert.Equal(2592000, properties.DefaultTimeToLive);
        Assert.Null(properties.VectorEmbeddingPolicy);
        Assert.Null(properties.FullTextPolicy);
        Assert.Equal(["/projectId"], properties.PartitionKeyPaths);
    }

    [Fact]
    public void WithOverrides_ChangesDimensionsIndexTypeAndDatabase()
    {
        var layout = _layout.WithOverrides(new CosmosOptions
        {
            Endpoint = "https://x/",
            DatabaseName = "other",
            EmbeddingDimensions = 384,
            VectorIndexType = CosmosVectorIndexKind.QuantizedFlat,
        });

        var properties = layout.BuildContainerProperties(CosmosContainerNames.Memories);
        Assert.Equal("other", layout.DatabaseName);
        Assert.Equal(384, properties.VectorEmbeddingPolicy.Embeddings[0].Dimensions);
        Assert.Equal(VectorIndexType.QuantizedFlat, properties.IndexingPolicy.VectorIndexes[0].Type);
    }

    [Fact]
    public void FindMismatches_SameProperties_IsEmpty()
    {
        foreach (var container in _layout.Containers)
        {
            Assert.Empty(_layout.FindMismatches(container.Name, _layout.BuildContainerProperties(container.Name)));
        }
    }

    [Fact]
    public void FindMismatches_DifferentKeysDimensionsAndMissingFullText_NamesEachProblem()
    {
        var actual = _layout.WithOverrides(new CosmosOptions { Endpoint = "https://x/", EmbeddingDimensions = 384 })
            .BuildContainerProperties(CosmosContainerNames.Memories);
        actual = new ContainerProperties("memories", ["/projectId"])
        {
            VectorEmbeddingPolicy = actual.VectorEmbeddingPolicy,
            IndexingPolicy = actual.IndexingPolicy,
        };

        var problems = _layout.FindMismatches(CosmosContainerNames.Memories, actual);

        Assert.Contains(problems, p => p.Contains("partition key is [/projectId]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("384 dimensions, expected 1536", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("no full-text policy for /memory", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NoContainers_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => CosmosLayout.Parse("""{"databaseName":"x","vector":{"path":"/e","dataType":"float32","dimensions":3,"distanceFunction":"cosine","indexType":"flat"},"fullText":{"path":"/m","language":"en-US"},"containers":[]}"""));
    }
}
