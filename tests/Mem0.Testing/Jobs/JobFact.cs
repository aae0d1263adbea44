using Xunit.Abstractions;
using Xunit.Sdk;

namespace Mem0.Testing.Jobs;

/// <summary>Where the Azurite started by ./test.sh is (its connection string), if it is.</summary>
public static class Azurite
{
    public const string Variable = "MEM0_TEST_AZURITE_CONNECTION_STRING";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);

    public static string SkipReason => $"{Variable} is not set: run ./test.sh (it starts Azurite on 127.0.0.1) to run the jobs on the Azure Storage backend.";

    /// <summary>A task hub of its own per server, so servers sharing one Azurite never take each other's work.</summary>
    public static string NewTaskHub() => "t" + Guid.NewGuid().ToString("N")[..20];
}

/// <summary>Marks a test class whose jobs run on the Azure Storage backend: its <see cref="JobFactAttribute"/> tests need Azurite.</summary>
public interface IAzuriteBackend;

/// <summary>
/// A fact of a job suite that runs once per backend (a test class per backend deriving from one suite): skipped, with the
/// reason, in the Azure Storage class when no Azurite is configured, and run everywhere else.
/// </summary>
[XunitTestCaseDiscoverer("Mem0.Testing.Jobs.JobFactDiscoverer", "Mem0.Testing")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class JobFactAttribute : FactAttribute;

public sealed class JobFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        if (typeof(IAzuriteBackend).IsAssignableFrom(testMethod.TestClass.Class.ToRuntimeType()) && string.IsNullOrWhiteSpace(Azurite.ConnectionString))
        {
            return new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, Azurite.SkipReason);
        }

        return base.CreateTestCase(discoveryOptions, testMethod, factAttribute);
    }
}
