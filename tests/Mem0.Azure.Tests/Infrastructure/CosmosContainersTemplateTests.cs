using System.Text.Json.Nodes;

namespace Mem0.Azure.Tests.Infrastructure;

/// <summary>
/// The Cosmos DB layout a deployment of infra/main.bicep would create must be exactly the one in
/// infra/cosmos-containers.json, the file the app embeds: vector and full-text policies cannot be
/// changed after a container exists, so a drift here breaks production, not a test environment.
/// </summary>
public sealed class CosmosContainersTemplateTests
{
    private static readonly JsonObject Layout = (JsonObject)JsonNode.Parse(
        File.ReadAllText(Path.Combine(CompiledTemplate.RepositoryRoot, "infra", "cosmos-containers.json")))!;

    private static JsonObject Vector => Layout["vector"]!.AsObject();

    private static JsonObject FullText => Layout["fullText"]!.AsObject();

    [BicepFact]
    public void Containers_CompiledTemplate_MatchCosmosContainersJson()
    {
        foreach (var serverless in new[] { true, false })
        {
            var deployed = DeployedContainers(serverless);
            var expected = Layout["containers"]!.AsArray().Select(c => c!.AsObject()).ToList();

            Assert.Equal(expected.Select(c => (string)c["name"]!).Order(), deployed.Keys.Order());
            foreach (var container in expected)
            {
                AssertContainerMatches(container, deployed[(string)container["name"]!]);
            }
        }
    }

    [BicepFact]
    public void Database_CompiledTemplate_UsesJsonDatabaseName()
    {
        var database = Assert.Single(CosmosResources(serverless: true),
            r => (string?)r["type"] == "Microsoft.DocumentDB/databaseAccounts/sqlDatabases");

        Assert.Equal($"cosmos-test/{Layout["databaseName"]}", (string?)database["name"]);
        Assert.Equal((string?)Layout["databaseName"], (string?)database["properties"]!["resource"]!["id"]);
    }

    [BicepFact]
    public void Account_CompiledTemplate_EnablesVectorAndFullTextSearchWithLocalAuthDisabled()
    {
        foreach (var serverless in new[] { true, false })
        {
            var account = Assert.Single(CosmosResources(serverless),
                r => (string?)r["type"] == "Microsoft.DocumentDB/databaseAccounts");
            var properties = account["properties"]!;
            var capabilities = properties["capabilities"]!.AsArray().Select(c => (string?)c!["name"]).ToList();

            Assert.Contains("EnableNoSQLVectorSearch", capabilities);
            Assert.Contains("EnableNoSQLFullTextSearch", capabilities);
            Assert.Equal(serverless, capabilities.Contains("EnableServerless"));
            Assert.True((bool?)properties["disableLocalAuth"]);
        }
    }

    [BicepFact]
    public void EmbeddingDimensionsOutput_CosmosModule_EqualsJsonVectorDimensions()
    {
        var evaluator = new ArmTemplateEvaluator(CompiledTemplate.Module("cosmos"), CosmosParameters(serverless: true));

        Assert.Equal((int)Vector["dimensions"]!, (int?)evaluator.EvaluateOutput("embeddingDimensions"));
    }

    private static void AssertContainerMatches(JsonObject expected, JsonObject deployed)
    {
        var name = (string)expected["name"]!;
        var resource = deployed["properties"]!["resource"]!.AsObject();
        Assert.Equal(name, (string?)resource["id"]);

        var paths = expected["partitionKeyPaths"]!.AsArray().Select(p => (string)p!).ToList();
        var partitionKey = resource["partitionKey"]!;
        Assert.Equal(paths, partitionKey["paths"]!.AsArray().Select(p => (string?)p));
        Assert.Equal(paths.Count > 1 ? "MultiHash" : "Hash", (string?)partitionKey["kind"]);
        Assert.Equal(2, (int?)partitionKey["version"]);

        Assert.True(JsonNode.DeepEquals(expected["defaultTtl"], resource["defaultTtl"]),
            $"{name}: defaultTtl {resource["defaultTtl"]?.ToJsonString() ?? "null"} != {expected["defaultTtl"]?.ToJsonString() ?? "null"}");

        var indexing = resource["indexingPolicy"]!;
        var excluded = indexing["excludedPaths"]!.AsArray().Select(p => (string?)p!["path"]).ToList();
        var vectorIndexes = indexing["vectorIndexes"]?.AsArray() ?? [];
        var fullTextIndexes = indexing["fullTextIndexes"]?.AsArray() ?? [];

        if ((bool)expected["vector"]!)
        {
            var embedding = Assert.Single(resource["vectorEmbeddingPolicy"]!["vectorEmbeddings"]!.AsArray())!;
            Assert.Equal((string?)Vector["path"], (string?)embedding["path"]);
            Assert.Equal((string?)Vector["dataType"], (string?)embedding["dataType"]);
            Assert.Equal((int?)Vector["dimensions"], (int?)embedding["dimensions"]);
            Assert.Equal((string?)Vector["distanceFunction"], (string?)embedding["distanceFunction"]);

            var index = Assert.Single(vectorIndexes)!;
            Assert.Equal((string?)Vector["path"], (string?)index["path"]);
            Assert.Equal((string?)Vector["indexType"], (string?)index["type"]);
            Assert.Contains($"{Vector["path"]}/*", excluded);
        }
        else
        {
            Assert.Null(resource["vectorEmbeddingPolicy"]);
            Assert.Empty(vectorIndexes);
            Assert.DoesNotContain(excluded, p => p == $"{Vector["path"]}/*");
        }

        if ((bool)expected["fullText"]!)
        {
            // The memory text and the memory's entities (the entity leg of search), both in the layout file.
            string?[] expectedPaths = [(string?)FullText["path"], (string?)FullText["entityPath"]];
            var policy = resource["fullTextPolicy"]!;
            var textPaths = policy["fullTextPaths"]!.AsArray();
            Assert.Equal(expectedPaths, textPaths.Select(p => (string?)p!["path"]));
            Assert.All(textPaths, path => Assert.Equal((string?)FullText["language"], (string?)path!["language"]));
            Assert.Equal((string?)FullText["language"], (string?)policy["defaultLanguage"]);
            Assert.Equal(expectedPaths, fullTextIndexes.Select(i => (string?)i!["path"]));
        }
        else
        {
            Assert.Null(resource["fullTextPolicy"]);
            Assert.Empty(fullTextIndexes);
        }
    }

    private static Dictionary<string, JsonObject> DeployedContainers(bool serverless) =>
        CosmosResources(serverless)
            .Where(r => (string?)r["type"] == "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
            .ToDictionary(r => ((string)r["name"]!).Split('/')[^1]);

    private static IReadOnlyList<JsonObject> CosmosResources(bool serverless) =>
        new ArmTemplateEvaluator(CompiledTemplate.Module("cosmos"), CosmosParameters(serverless)).ExpandResources();

    private static Dictionary<string, JsonNode?> CosmosParameters(bool serverless) => new()
    {
        ["name"] = "cosmos-test",
        ["location"] = "swedencentral",
        ["tags"] = new JsonObject(),
        ["serverless"] = serverless,
    };
}
