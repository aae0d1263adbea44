using System.Runtime.CompilerServices;

namespace Mem0.Azure.Tests;

internal static class TestEnvironment
{
    /// <summary>
    /// Set before any CosmosClient exists: no instance-metadata probe (169.254.169.254 is off this machine), local query
    /// plans, and single-partition queries sent as written to the fake gateway.
    /// </summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The Cosmos SDK reads these variables once, before any test runs.")]
    internal static void Initialize()
    {
        Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
        Environment.SetEnvironmentVariable("AZURE_COSMOS_USE_QUERY_PLAN_INTEROP_LINUX", "true");
        Environment.SetEnvironmentVariable("AZURE_COSMOS_OPTIMISTIC_DIRECT_EXECUTION_ENABLED", "true");

        // As the Functions host does first thing (AddFunctionsObservability): Azure SDK spans need it, read once.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
    }
}
