using System.Text.Json.Nodes;

namespace Mem0.Azure.Tests.Infrastructure;

/// <summary>
/// Keyless provisioning: app settings the app reads, no shared keys or local auth anywhere, every
/// data-plane role granted, the admin key only as a hash from a secure parameter.
/// </summary>
public sealed class ProvisioningTemplateTests
{
    private static readonly string[] RequiredAppSettings =
    [
        "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
        "AZURE_CLIENT_ID", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
        "Mem0__Cosmos__Endpoint", "Mem0__Cosmos__DatabaseName", "Mem0__AI__Provider", "Mem0__AI__Endpoint",
        "Mem0__AI__ChatModel", "Mem0__AI__EmbeddingProvider", "Mem0__AI__EmbeddingModel",
        "Mem0__AI__EmbeddingDimensions", "Mem0__Webhooks__queueServiceUri", "Mem0__Jobs__BlobServiceUri",
        "Mem0__DataProtection__BlobServiceUri",
    ];

    [BicepFact]
    public void AppSettings_FunctionAppModule_SetEveryOptionTheAppReadsWithoutSecrets()
    {
        var settings = AppSettingsPassedByMain();

        Assert.All(RequiredAppSettings, name => Assert.True(settings.ContainsKey(name), $"missing app setting {name}"));
        Assert.Equal("AzureOpenAI", (string?)settings["Mem0__AI__Provider"]);
        Assert.Equal("AzureOpenAI", (string?)settings["Mem0__AI__EmbeddingProvider"]);
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        // The dimensions come from the Cosmos module's output, itself read from cosmos-containers.json.
        var dimensions = (string?)settings["Mem0__AI__EmbeddingDimensions"];
        Assert.Contains("'cosmos'", dimensions, StringComparison.Ordinal);
        Assert.Contains("outputs.embeddingDimensions.value", dimensions, StringComparison.Ordinal);
        // Flex Consumption takes the runtime from functionAppConfig and rejects these settings.
        Assert.False(settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"));
        Assert.False(settings.ContainsKey("FUNCTIONS_EXTENSION_VERSION"));
        Assert.False(settings.ContainsKey("Mem0__Admin__Key"));
        Assert.DoesNotContain("listKeys", CompiledTemplate.Main.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", CompiledTemplate.Main.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [BicepFact]
    public void AppSettings_RequestBodyLimit_IsOneParameterForHostAndImportRoute()
    {
        var settings = AppSettingsPassedByMain();
        var host = (string?)settings["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"];

        // The host cuts bodies off before the app; the import route must not promise more (or less) than that.
        Assert.Equal(host, (string?)settings["Mem0__Jobs__MaxImportBytes"]);
        Assert.Contains("parameters('maxRequestBodyBytes')", host, StringComparison.Ordinal);
        Assert.Equal(104857600, (int?)CompiledTemplate.Main["parameters"]!["maxRequestBodyBytes"]!["defaultValue"]);
    }

    [BicepFact]
    public void Models_Defaults_AreParametersWithCurrentVersions()
    {
        var parameters = CompiledTemplate.Main["parameters"]!;

        // Retired or closed to new deployments by 2026-12-06 (Azure OpenAI retirement table): never a default again.
        Assert.NotEqual("2025-04-14", (string?)parameters["chatModelVersion"]!["defaultValue"]);
        Assert.Equal("gpt-5.4-mini", (string?)parameters["chatModelName"]!["defaultValue"]);
        Assert.Equal("2026-03-17", (string?)parameters["chatModelVersion"]!["defaultValue"]);
        Assert.Equal("text-embedding-3-small", (string?)parameters["embeddingModelName"]!["defaultValue"]);
        Assert.Equal("1", (string?)parameters["embeddingModelVersion"]!["defaultValue"]);
    }

    [BicepFact]
    public void ParametersFile_Defaults_MatchTheBicepDefaults()
    {
        // azd fills main.parameters.json's ${VAR=default}; a stale default there silently overrides the Bicep's.
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(CompiledTemplate.RepositoryRoot, "infra", "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = CompiledTemplate.Main["parameters"]!.AsObject();
        var checkedCount = 0;
        foreach (var (name, entry) in file)
        {
            var match = System.Text.RegularExpressions.Regex.Match((string?)entry!["value"] ?? "", @"^\$\{[A-Z0-9_]+=(.*)\}$");
            if (!match.Success || declared[name]?["defaultValue"] is not JsonValue bicepDefault || match.Groups[1].Value.Length == 0)
            {
                continue;
            }

            Assert.True(string.Equals(bicepDefault.ToString(), match.Groups[1].Value, StringComparison.OrdinalIgnoreCase),
                $"{name}: main.parameters.json defaults to '{match.Groups[1].Value}', main.bicep to '{bicepDefault}'");
            checkedCount++;
        }

        Assert.True(checkedCount >= 5, $"only {checkedCount} defaults compared");
    }

    [BicepFact]
    public void FunctionApp_WithAdminKeyHash_RunsDotnetIsolated10OnFlexWithHashSetting()
    {
        var resources = FunctionAppResources(adminKeyHash: "ab12");
        var plan = Assert.Single(resources, r => (string?)r["type"] == "Microsoft.Web/serverfarms");
        var app = Assert.Single(resources, r => (string?)r["type"] == "Microsoft.Web/sites");
        var config = app["properties"]!["functionAppConfig"]!;
        var settings = AppSettingsOf(app);

        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
        Assert.Equal("UserAssigned", (string?)app["identity"]!["type"]);
        Assert.Equal("api", (string?)app["tags"]!["azd-service-name"]);
        Assert.Equal("ab12", settings["Mem0__Admin__KeyHash"]);
    }

    [BicepFact]
    public void FunctionApp_WithoutAdminKeyHash_OmitsTheSetting()
    {
        var app = Assert.Single(FunctionAppResources(adminKeyHash: string.Empty), r => (string?)r["type"] == "Microsoft.Web/sites");

        Assert.False(AppSettingsOf(app).ContainsKey("Mem0__Admin__KeyHash"));
    }

    [BicepFact]
    public void AdminKeyHash_MainAndModule_AreSecureParameters()
    {
        Assert.Equal("securestring", (string?)CompiledTemplate.Main["parameters"]!["adminKeyHash"]!["type"], ignoreCase: true);
        Assert.Equal("securestring", (string?)CompiledTemplate.Module("functionapp")["parameters"]!["adminKeyHash"]!["type"], ignoreCase: true);
    }

    [BicepFact]
    public void Storage_CompiledTemplate_DisablesSharedKeysAndCreatesAppQueuesAndContainers()
    {
        var resources = new ArmTemplateEvaluator(CompiledTemplate.Module("storage"), new Dictionary<string, JsonNode?>
        {
            ["name"] = "sttest",
            ["location"] = "swedencentral",
            ["tags"] = new JsonObject(),
            ["deploymentContainerName"] = "app-package",
        }).ExpandResources();
        var account = Assert.Single(resources, r => (string?)r["type"] == "Microsoft.Storage/storageAccounts");
        var names = resources.Select(r => (string?)r["name"]).ToList();

        Assert.False((bool?)account["properties"]!["allowSharedKeyAccess"]);
        Assert.False((bool?)account["properties"]!["allowBlobPublicAccess"]);
        Assert.Contains("sttest/default/webhook-deliveries", names);
        Assert.Contains("sttest/default/webhook-deliveries-poison", names);
        Assert.Contains("sttest/default/webhook-dispatch", names);
        Assert.Contains("sttest/default/imports", names);
        Assert.Contains("sttest/default/dataprotection", names);
        Assert.Contains("sttest/default/app-package", names);
    }

    [BicepFact]
    public void OpenAiAndMonitoring_CompiledTemplate_DisableLocalAuth()
    {
        var deployment = new JsonObject { ["name"] = "d", ["modelName"] = "m", ["modelVersion"] = "1", ["skuName"] = "GlobalStandard", ["capacity"] = 1 };
        var openAi = Assert.Single(
            new ArmTemplateEvaluator(CompiledTemplate.Module("openai"), new Dictionary<string, JsonNode?>
            {
                ["name"] = "oai-test",
                ["location"] = "swedencentral",
                ["tags"] = new JsonObject(),
                ["chat"] = deployment,
                ["embedding"] = deployment.DeepClone(),
            }).ExpandResources(),
            r => (string?)r["type"] == "Microsoft.CognitiveServices/accounts");
        var insights = Assert.Single(
            new ArmTemplateEvaluator(CompiledTemplate.Module("monitoring"), new Dictionary<string, JsonNode?>
            {
                ["logAnalyticsName"] = "log-test",
                ["applicationInsightsName"] = "appi-test",
                ["location"] = "swedencentral",
                ["tags"] = new JsonObject(),
            }).ExpandResources(),
            r => (string?)r["type"] == "Microsoft.Insights/components");

        Assert.Equal("OpenAI", (string?)openAi["kind"]);
        Assert.True((bool?)openAi["properties"]!["disableLocalAuth"]);
        Assert.Equal("oai-test", (string?)openAi["properties"]!["customSubDomainName"]);
        Assert.True((bool?)insights["properties"]!["DisableLocalAuth"]);
    }

    [BicepFact]
    public void Rbac_CompiledTemplate_GrantsEveryDataPlaneRole()
    {
        var rbac = CompiledTemplate.Module("rbac");
        var evaluator = new ArmTemplateEvaluator(rbac, new Dictionary<string, JsonNode?>());
        var roleIds = evaluator.Evaluate(JsonValue.Create("[variables('roleIds')]"), ArmTemplateEvaluator.CopyContext.None)!.AsObject();
        var text = rbac.ToJsonString();

        Assert.Equal("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", (string?)roleIds["storageBlobDataOwner"]);
        Assert.Equal("974c5e8b-45b9-4653-ba55-5f855dd0fb88", (string?)roleIds["storageQueueDataContributor"]);
        Assert.Equal("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", (string?)roleIds["storageTableDataContributor"]);
        Assert.Equal("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", (string?)roleIds["cognitiveServicesOpenAIUser"]);
        Assert.Equal("3913510d-42f4-4e42-8a64-420c390055eb", (string?)roleIds["monitoringMetricsPublisher"]);
        Assert.Contains("00000000-0000-0000-0000-000000000002", text, StringComparison.Ordinal);
        Assert.Contains("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments", text, StringComparison.Ordinal);
        // Deterministic names: a re-deployment updates the assignments instead of failing on duplicates.
        Assert.All(CompiledTemplate.Resources(rbac).Where(r => ((string)r["type"]!).Contains("roleAssignments", StringComparison.OrdinalIgnoreCase)),
            r => Assert.Contains("guid(", (string?)r["name"], StringComparison.Ordinal));
    }

    private static JsonObject AppSettingsPassedByMain() =>
        CompiledTemplate.ModuleDeployment("functionapp")["properties"]!["parameters"]!["appSettings"]!["value"]!.AsObject();

    private static IReadOnlyList<JsonObject> FunctionAppResources(string adminKeyHash)
    {
        var settings = new JsonObject();
        foreach (var (name, _) in AppSettingsPassedByMain())
        {
            settings[name] = $"value-of-{name}";
        }
        return new ArmTemplateEvaluator(CompiledTemplate.Module("functionapp"), new Dictionary<string, JsonNode?>
        {
            ["name"] = "func-test",
            ["planName"] = "plan-test",
            ["location"] = "swedencentral",
            ["tags"] = new JsonObject(),
            ["serviceName"] = "api",
            ["identityId"] = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-test",
            ["deploymentContainerUrl"] = "https://sttest.blob.core.windows.net/app-package",
            ["appSettings"] = settings,
            ["adminKeyHash"] = adminKeyHash,
        }).ExpandResources();
    }

    private static Dictionary<string, string?> AppSettingsOf(JsonObject app) =>
        app["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string?)s!["value"]);
}
