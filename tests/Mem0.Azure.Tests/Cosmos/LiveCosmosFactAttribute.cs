namespace Mem0.Azure.Tests.Cosmos;

/// <summary>
/// A test against a real Cosmos DB account: runs only when <c>MEM0_LIVE_COSMOS_ENDPOINT</c> is set (with
/// <c>MEM0_LIVE_COSMOS_KEY</c>, or an Entra identity DefaultAzureCredential can find); otherwise reported as skipped.
/// </summary>
internal sealed class LiveCosmosFactAttribute : FactAttribute
{
    public const string EndpointVariable = "MEM0_LIVE_COSMOS_ENDPOINT";
    public const string KeyVariable = "MEM0_LIVE_COSMOS_KEY";

    public LiveCosmosFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable)))
        {
            Skip = $"Live Cosmos DB tests need {EndpointVariable} (and {KeyVariable} or an Entra identity).";
        }
    }

    /// <summary>
    /// Why the live conformance suites cannot run now, or null when they can. They need the key as well as the endpoint:
    /// each suite creates a throwaway database, which Entra data-plane roles do not allow.
    /// </summary>
    public static string? SuiteSkipReason()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable)))
        {
            return $"set {EndpointVariable} and {KeyVariable} to run the store conformance suite against a live Cosmos DB account.";
        }

        return string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(KeyVariable))
            ? $"{KeyVariable} is not set: the suite creates a throwaway database, which Entra data-plane roles cannot."
            : null;
    }
}
