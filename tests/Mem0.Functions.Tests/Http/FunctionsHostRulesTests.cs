using System.Text.Json;
using Mem0.Core.Dashboard;
using Mem0.Core.Http;

namespace Mem0.Functions.Tests.Http;

/// <summary>
/// The Functions host's own start-up rules (<see cref="FunctionsHostRules"/>) applied to the functions.metadata the build
/// emits, so a function the host would refuse in Azure fails here; and each rule shown to reject what the host rejects.
/// </summary>
public sealed class FunctionsHostRulesTests
{
    private static string OutputFile(string name) => Path.Combine(FunctionsMetadataTests.FunctionsOutputDirectory(), name);

    private static string RoutePrefix()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(OutputFile("host.json")));
        return host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString() ?? "api";
    }

    [Fact]
    public void FunctionsMetadata_EveryFunction_PassesTheHostsStartupRules()
    {
        var functions = FunctionEntry.Load(OutputFile("functions.metadata"));

        var violations = FunctionsHostRules.Violations(functions, RoutePrefix());

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        Assert.True(functions.Count(f => f.Bindings.Any(b => b.GetProperty("type").GetString() == "httpTrigger")) == Mem0Routes.Hosted.Count + 2); // + the dashboard and /mcp
    }

    [Fact]
    public void RouteTable_NoTemplate_StartsWithAReservedSegment()
    {
        // The same rule over Core's table, so the local server cannot drift to a route the Functions host would refuse.
        var functions = Mem0Routes.Hosted.Append(DashboardEndpoints.Route).Select(r => FunctionEntry.Http(r.Name, r.Template.TrimStart('/'), r.Method.ToLowerInvariant())).ToList();

        Assert.Empty(FunctionsHostRules.Violations(functions, ""));
    }

    [Theory]
    [InlineData("admin/v1/projects/")]
    [InlineData("/admin/v1/projects/{projectId}/api-keys/")]
    [InlineData("Admin/v1/projects/")]
    [InlineData("administration/keys/")]
    [InlineData("runtime/webhooks/x")]
    public void Violations_RouteInTheHostsReservedSpace_IsRejected(string route)
    {
        var violations = FunctionsHostRules.Violations([FunctionEntry.Http("AdminCreateProject", route, "post")], "");

        Assert.Contains(violations, v => v.Contains("built-in routes", StringComparison.Ordinal));
    }

    [Fact]
    public void Violations_ReservedPrefixWithoutRoute_ComesFromTheFunctionName()
    {
        // No route means the function's name is the route.
        var violations = FunctionsHostRules.Violations([FunctionEntry.Http("AdminThing", null, "get")], "");

        Assert.Contains(violations, v => v.Contains("built-in routes", StringComparison.Ordinal));
    }

    [Fact]
    public void Violations_SameRouteAndMethodTwice_IsRejectedNamingBoth()
    {
        var violations = FunctionsHostRules.Violations(
            [FunctionEntry.Http("GetThing", "v1/things/{id}/", "get"), FunctionEntry.Http("ReadThing", "/V1/Things/{id}", "get", "head")],
            "");

        var violation = Assert.Single(violations);
        Assert.Contains("ReadThing", violation, StringComparison.Ordinal);
        Assert.Contains("'GetThing'", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Violations_SameRouteDifferentMethods_IsAllowed_ButNoMethodsMeansEvery()
    {
        Assert.Empty(FunctionsHostRules.Violations(
            [FunctionEntry.Http("GetThing", "v1/things/", "get"), FunctionEntry.Http("AddThing", "v1/things/", "post")], ""));
        Assert.NotEmpty(FunctionsHostRules.Violations(
            [FunctionEntry.Http("GetThing", "v1/things/", "get"), FunctionEntry.Http("AnyThing", "v1/things/")], ""));
    }

    [Theory]
    [InlineData("v1/things/{id/")]
    [InlineData("v1//things/")]
    [InlineData("v1/things/{id}/{id}/")]
    [InlineData("v1/things/{id:nosuchconstraint}/")]
    public void Violations_InvalidRouteTemplate_IsRejected(string route)
    {
        var violations = FunctionsHostRules.Violations([FunctionEntry.Http("GetThing", route, "get")], "");

        Assert.Contains(violations, v => v.Contains("route template", StringComparison.Ordinal) || v.Contains("constraint", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1Thing")]
    [InlineData("host")]
    [InlineData("get.thing")]
    public void Violations_InvalidFunctionName_IsRejected(string name)
    {
        var violations = FunctionsHostRules.Violations([FunctionEntry.Http(name, "v1/things/", "get")], "");

        Assert.Contains(violations, v => v.Contains("not a valid function name", StringComparison.Ordinal));
    }
}
