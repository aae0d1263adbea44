using System.Runtime.CompilerServices;

namespace Mem0.Functions.Tests;

internal static class TestEnvironment
{
    /// <summary>No Azure instance-metadata probe from any CosmosClient or credential the wiring test creates.</summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must be set before any Azure SDK client exists.")]
    internal static void Initialize()
    {
        Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
    }
}
