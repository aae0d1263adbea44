using System.Runtime.CompilerServices;

namespace Mem0.Functions.Tests;

internal static class TestEnvironment
{
    /// <summary>Set before any CosmosClient exists: no instance-metadata probe (169.254.169.254 is off this machine).</summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The Cosmos SDK reads the variable once, before any test runs.")]
    internal static void Initialize() => Environment.SetEnvironmentVariable("COSMOS_DISABLE_IMDS_ACCESS", "true");
}
