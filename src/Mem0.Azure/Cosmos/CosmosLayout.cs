using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;

namespace Mem0.Azure.Cosmos;

/// <summary>
/// The Cosmos DB layout (containers, partition keys, vector and full-text policies) read from
/// <c>infra/cosmos-containers.json</c>, the file the Bicep also loads, so the app and the infrastructure cannot drift.
/// </summary>
public sealed class CosmosLayout
{
    private const string ResourceName = "Mem0.Azure.cosmos-containers.json";

    private static readonly JsonSerializerOptions s_fileOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private CosmosLayout(string databaseName, VectorSettings vector, FullTextSettings fullText, IReadOnlyList<ContainerDefinition> containers)
    {
        DatabaseName = databaseName;
        Vector = vector;
        FullText = fullText;
        Containers = containers;
    }

    public string DatabaseName { get; }

    public VectorSettings Vector { get; }

    public FullTextSettings FullText { get; }

    public IReadOnlyList<ContainerDefinition> Containers { get; }

    /// <summary>The layout embedded in this assembly at build time.</summary>
    public static CosmosLayout LoadEmbedded()
    {
        using var stream = typeof(CosmosLayout).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from Mem0.Azure.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    public static CosmosLayout Parse(string json)
    {
        var file = JsonSerializer.Deserialize<LayoutFile>(json, s_fileOptions)
            ?? throw new InvalidOperationException("The Cosmos layout file is empty.");
        if (file.Containers is not { Count: > 0 })
        {
            throw new InvalidOperationException("The Cosmos layout file declares no containers.");
        }

        return new CosmosLayout(file.DatabaseName ?? "mem0", file.Vector, file.FullText, file.Containers);
    }

    /// <summary>Applies the deployment's overrides (database name, vector dimensions and index type).</summary>
    public CosmosLayout WithOverrides(CosmosOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var vector = Vector with
        {
            Dimensions = options.EmbeddingDimensions ?? Vector.Dimensions,
            IndexType = options.VectorIndexType ?? Vector.IndexType,
        };
        return new CosmosLayout(options.DatabaseName, vector, FullText, Containers);
    }

    public ContainerDefinition GetContainer(string name) =>
        Containers.FirstOrDefault(c => c.Name == name)
        ?? throw new InvalidOperationException($"The Cosmos layout has no container named '{name}'.");

    /// <summary>The properties to create the container with, or to compare an existing one against.</summary>
    public ContainerProperties BuildContainerProperties(string containerName)
    {
        var definition = GetContainer(containerName);
        var properties = new ContainerProperties(definition.Name, definition.PartitionKeyPaths.ToList())
        {
            DefaultTimeToLive = definition.DefaultTtl,
        };

        if (definition.Vector)
        {
            properties.VectorEmbeddingPolicy = new VectorEmbeddingPolicy(new Collection<Embedding>
            {
                new()
                {
                    Path = Vector.Path,
                    DataType = VectorDataType.Float32,
                    Dimensions = Vector.Dimensions,
                    DistanceFunction = ToDistanceFunction(Vector.DistanceFunction),
                },
            });
            properties.IndexingPolicy.VectorIndexes.Add(new VectorIndexPath { Path = Vector.Path, Type = ToIndexType(Vector.IndexType) });

            // A vector in the range index costs RUs on every write and is never useful for range queries.
            properties.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = Vector.Path + "/*" });
        }

        if (definition.FullText)
        {
            properties.FullTextPolicy = new FullTextPolicy
            {
                DefaultLanguage = FullText.Language,
                FullTextPaths = new Collection<FullTextPath>(FullText.Paths.Select(path => new FullTextPath { Path = path, Language = FullText.Language }).ToList()),
            };
            foreach (var path in FullText.Paths)
            {
                properties.IndexingPolicy.FullTextIndexes.Add(new FullTextIndexPath { Path = path });
            }
        }

        properties.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = "/*" });
        return properties;
    }

    /// <summary>
    /// What differs between the container the app needs and the one that exists. Only what the app depends on is compared:
    /// partition keys, vector and full-text policies and their indexes (immutable after creation), and TTL.
    /// </summary>
    public IReadOnlyList<string> FindMismatches(string containerName, ContainerProperties actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var definition = GetContainer(containerName);
        var problems = new List<string>();
        var actualPaths = actual.PartitionKeyPaths ?? (actual.PartitionKeyPath is { } single ? [single] : []);
        if (!actualPaths.SequenceEqual(definition.PartitionKeyPaths, StringComparer.Ordinal))
        {
            problems.Add($"partition key is [{string.Join(", ", actualPaths)}], expected [{string.Join(", ", definition.PartitionKeyPaths)}]");
        }

        if (definition.DefaultTtl is { } ttl && actual.DefaultTimeToLive is null)
        {
            problems.Add($"default TTL is off, expected {ttl.ToString(CultureInfo.InvariantCulture)} seconds");
        }

        if (definition.Vector)
        {
            CheckVector(actual, problems);
        }

        if (definition.FullText)
        {
            CheckFullText(actual, problems);
        }

        return problems;
    }

    private void CheckVector(ContainerProperties actual, List<string> problems)
    {
        var embedding = actual.VectorEmbeddingPolicy?.Embeddings?.FirstOrDefault(e => e.Path == Vector.Path);
        if (embedding is null)
        {
            problems.Add($"no vector embedding policy for {Vector.Path}");
        }
        else
        {
            if (embedding.Dimensions != Vector.Dimensions)
            {
                problems.Add($"vector {Vector.Path} has {embedding.Dimensions} dimensions, expected {Vector.Dimensions} (set Mem0:Cosmos:EmbeddingDimensions to the model's size)");
            }

            if (embedding.DistanceFunction != ToDistanceFunction(Vector.DistanceFunction))
            {
                problems.Add($"vector {Vector.Path} uses distance {embedding.DistanceFunction}, expected {Vector.DistanceFunction}");
            }

            if (embedding.DataType != VectorDataType.Float32)
            {
                problems.Add($"vector {Vector.Path} has data type {embedding.DataType}, expected Float32");
            }
        }

        var index = actual.IndexingPolicy?.VectorIndexes?.FirstOrDefault(i => i.Path == Vector.Path);
        if (index is null)
        {
            problems.Add($"no vector index on {Vector.Path}");
        }
        else if (index.Type != ToIndexType(Vector.IndexType))
        {
            problems.Add($"vector index on {Vector.Path} is {index.Type}, expected {ToIndexType(Vector.IndexType)}");
        }
    }

    private void CheckFullText(ContainerProperties actual, List<string> problems)
    {
        foreach (var path in FullText.Paths)
        {
            if (actual.FullTextPolicy?.FullTextPaths?.Any(p => p.Path == path) != true)
            {
                problems.Add($"no full-text policy for {path}");
            }

            if (actual.IndexingPolicy?.FullTextIndexes?.Any(i => i.Path == path) != true)
            {
                problems.Add($"no full-text index on {path}");
            }
        }
    }

    private static DistanceFunction ToDistanceFunction(string name) => name.ToUpperInvariant() switch
    {
        "COSINE" => DistanceFunction.Cosine,
        "DOTPRODUCT" => DistanceFunction.DotProduct,
        "EUCLIDEAN" => DistanceFunction.Euclidean,
        _ => throw new InvalidOperationException($"Unknown vector distance function '{name}' in the Cosmos layout."),
    };

    private static VectorIndexType ToIndexType(CosmosVectorIndexKind kind) => kind switch
    {
        CosmosVectorIndexKind.DiskANN => VectorIndexType.DiskANN,
        CosmosVectorIndexKind.QuantizedFlat => VectorIndexType.QuantizedFlat,
        _ => VectorIndexType.Flat,
    };

    private sealed record LayoutFile(string? DatabaseName, VectorSettings Vector, FullTextSettings FullText, IReadOnlyList<ContainerDefinition> Containers);
}

/// <summary>The vector embedding settings of the memories container.</summary>
public sealed record VectorSettings(string Path, string DataType, int Dimensions, string DistanceFunction, CosmosVectorIndexKind IndexType);

/// <summary>
/// The full-text settings of the memories container: the memory text, and the memory's entities (the entity signal of
/// search), when the layout names them.
/// </summary>
public sealed record FullTextSettings(string Path, string Language, string? EntityPath = null)
{
    public IReadOnlyList<string> Paths => EntityPath is { Length: > 0 } entityPath ? [Path, entityPath] : [Path];
}

/// <summary>One container of the layout.</summary>
public sealed record ContainerDefinition(string Name, IReadOnlyList<string> PartitionKeyPaths, bool Vector, bool FullText, int? DefaultTtl);

/// <summary>Names of the containers in <c>infra/cosmos-containers.json</c>.</summary>
public static class CosmosContainerNames
{
    public const string Memories = "memories";
    public const string History = "history";
    public const string Events = "events";
    public const string Projects = "projects";
    public const string ApiKeys = "apikeys";
    public const string Webhooks = "webhooks";

    /// <summary>Webhook delivery log and completion records, partitioned by delivery id, expired by the container TTL.</summary>
    public const string WebhookDeliveries = "webhookdeliveries";
}
