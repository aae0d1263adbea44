using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Azure.Tests.Infrastructure;
using Mem0.Functions.Tests.Http;

namespace Mem0.Functions.Tests.Infrastructure;

/// <summary>
/// Every connection a binding in functions.metadata uses (the trigger listeners in the app, and the platform's scale
/// controller that watches them while the app is scaled to zero) must be an identity-based connection in the Bicep's
/// app settings: <c>&lt;prefix&gt;__credential = managedidentity</c>, <c>&lt;prefix&gt;__clientId</c> = the
/// user-assigned identity, and the service endpoint(s) the binding needs; never a connection string.
/// </summary>
public sealed class BindingIdentityTests
{
    /// <summary>The runtime storage connection: Durable Functions' task hub and the timer's schedule leases live there.</summary>
    private const string HostStorage = "AzureWebJobsStorage";

    /// <summary>Which connection a binding uses and which endpoint settings satisfy it; unknown binding types fail.</summary>
    private static (string Connection, string[][] EndpointChoices)? ConnectionOf(JsonElement binding, string durableConnection)
    {
        var type = binding.GetProperty("type").GetString()!;
        var named = binding.TryGetProperty("connection", out var c) && c.GetString() is { Length: > 0 } value ? value : null;
        return type switch
        {
            "httpTrigger" or "http" => null,
            "queueTrigger" or "queue" => (named ?? HostStorage, [["queueServiceUri"], ["accountName"]]),
            "blobTrigger" or "blob" => (named ?? HostStorage, [["blobServiceUri"], ["accountName"]]),
            // Durable needs blob, queue and table of one account.
            "durableClient" or "orchestrationTrigger" or "activityTrigger" or "entityTrigger" =>
                (durableConnection, [["accountName"], ["blobServiceUri", "queueServiceUri", "tableServiceUri"]]),
            "timerTrigger" => (HostStorage, [["accountName"], ["blobServiceUri"]]),
            _ => throw new InvalidOperationException($"Binding type '{type}' is new to this test: teach it which connection that binding uses."),
        };
    }

    private static string DurableConnection()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsMetadataTests.FunctionsOutputDirectory(), "host.json")));
        return host.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("durableTask", out var durable)
            && durable.TryGetProperty("storageProvider", out var provider)
            && provider.TryGetProperty("connectionName", out var name)
            ? name.GetString()!
            : HostStorage;
    }

    private static Dictionary<string, string> AppSettings()
    {
        var settings = CompiledTemplate.ModuleDeployment("functionapp")["properties"]!["parameters"]!["appSettings"]!["value"]!.AsObject();
        return settings.ToDictionary(s => s.Key, s => s.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : s.Value?.ToJsonString() ?? "", StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Everything missing for one connection; empty when it is a complete identity-based connection.</summary>
    internal static IReadOnlyList<string> Problems(string connection, string[][] endpointChoices, IReadOnlyDictionary<string, string> settings)
    {
        var prefix = connection.Replace(":", "__", StringComparison.Ordinal);
        var problems = new List<string>();
        if (settings.ContainsKey(prefix))
        {
            problems.Add($"{prefix} is set: a connection string (keys) instead of an identity-based connection");
        }

        if (!settings.TryGetValue(prefix + "__credential", out var credential) || !credential.Contains("managedidentity", StringComparison.Ordinal))
        {
            problems.Add($"{prefix}__credential must be 'managedidentity'");
        }

        // The app runs as a user-assigned identity: without its client id the platform tries a system identity it lacks.
        if (!settings.TryGetValue(prefix + "__clientId", out var clientId)
            || !clientId.Contains("'identity'", StringComparison.Ordinal)
            || !clientId.Contains("outputs.clientId.value", StringComparison.Ordinal))
        {
            problems.Add($"{prefix}__clientId must be the user-assigned identity's client id (identity module output)");
        }

        if (!endpointChoices.Any(choice => choice.All(name => settings.ContainsKey(prefix + "__" + name))))
        {
            problems.Add($"{prefix} needs " + string.Join(" or ", endpointChoices.Select(choice => string.Join(" + ", choice.Select(n => $"{prefix}__{n}")))));
        }

        return problems;
    }

    [BicepFact]
    public void EveryBindingConnection_HasIdentitySettingsInTheBicep()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsMetadataTests.FunctionsOutputDirectory(), "functions.metadata")));
        var durable = DurableConnection();
        var connections = new Dictionary<string, (string[][] Choices, List<string> UsedBy)>(StringComparer.OrdinalIgnoreCase);
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (ConnectionOf(binding, durable) is not { } used)
                {
                    continue;
                }

                if (!connections.TryGetValue(used.Connection, out var entry))
                {
                    connections[used.Connection] = entry = (used.EndpointChoices, []);
                }

                entry.UsedBy.Add($"{function.GetProperty("name").GetString()} ({binding.GetProperty("type").GetString()})");
            }
        }

        var settings = AppSettings();
        var problems = connections
            .SelectMany(c => Problems(c.Key, c.Value.Choices, settings).Select(p => $"{p} — used by {string.Join(", ", c.Value.UsedBy.Distinct().Take(3))}"))
            .ToList();

        // The webhook queue trigger and the runtime storage (Durable, timer) are both here.
        Assert.Contains("Mem0:Webhooks", connections.Keys);
        Assert.Contains(HostStorage, connections.Keys);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Problems_QueueConnectionWithOnlyAnEndpoint_NamesTheMissingIdentitySettings()
    {
        // What the Bicep had before: the endpoint, but no credential or client id for the queue trigger's connection.
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Mem0__Webhooks__QueueServiceUri"] = "\"[reference(...).outputs.queueEndpoint.value]\"",
        };

        var problems = Problems("Mem0:Webhooks", [["queueServiceUri"], ["accountName"]], settings);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Mem0__Webhooks__credential", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Mem0__Webhooks__clientId", StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_ConnectionString_IsRejected()
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["AzureWebJobsStorage"] = "\"DefaultEndpointsProtocol=https;AccountKey=x\"" };

        Assert.Contains(Problems(HostStorage, [["accountName"]], settings), p => p.Contains("connection string", StringComparison.Ordinal));
    }
}
