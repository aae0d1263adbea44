using Mem0.Azure.Tests.Cosmos;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Mem0.Azure.Tests.Cosmos." + nameof(LiveCosmosSuiteFramework), "Mem0.Azure.Tests")]

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>
/// Marks a class whose tests (inherited conformance <c>[Fact]</c>s included) need a live Cosmos DB account. Without one,
/// the whole class is reported as a single skipped test that names how many tests it stands for; with one, every test
/// runs. Decided when the tests are discovered, not when they are built.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class LiveCosmosSuiteAttribute : Attribute;

/// <summary>
/// xunit's own framework, except for <see cref="LiveCosmosSuiteAttribute"/> classes when no live account is configured.
/// Needed because xunit 2 cannot skip at run time and the conformance suites' facts are declared (unskippable) on
/// their shared base classes.
/// </summary>
public sealed class LiveCosmosSuiteFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForType(ITestClass testClass, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (LiveCosmosFactAttribute.SuiteSkipReason() is not { } reason
                || !testClass.Class.GetCustomAttributes(typeof(LiveCosmosSuiteAttribute)).Any())
            {
                return base.FindTestsForType(testClass, includeSourceInformation, messageBus, discoveryOptions);
            }

            var facts = testClass.Class.GetMethods(includePrivateMethods: false)
                .Where(m => m.GetCustomAttributes(typeof(FactAttribute)).Any())
                .OrderBy(m => m.Name, StringComparer.Ordinal)
                .ToList();
            if (facts.Count == 0)
            {
                return true;
            }

            // One skipped entry for the suite, so the skipped count stays one per suite and still says what did not run.
            var testCase = new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink,
                TestMethodDisplay.ClassAndMethod,
                TestMethodDisplayOptions.None,
                new TestMethod(testClass, facts[0]),
                $"{facts.Count} live conformance tests not run: {reason}");
            return ReportDiscoveredTestCase(testCase, includeSourceInformation, messageBus);
        }
    }
}
