using System.Text.Json;
using Mem0.Core.Dashboard;
using Mem0.Core.Http;
using Mem0.Core.Mcp;
using Mem0.Functions.Http;

namespace Mem0.Functions.Tests.Http;

public sealed class FunctionsMetadataTests
{
    /// <summary>functions.metadata as the Functions SDK generated it in the build output of Mem0.Functions.</summary>
    internal static string FunctionsOutputDirectory()
    {
        // tests/Mem0.Functions.Tests/bin/{Configuration}/net10.0/ → src/Mem0.Functions/bin/{Configuration}/net10.0/
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var repoRoot = testOutput.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(repoRoot, "src", "Mem0.Functions", "bin", configuration, framework);
    }

    private static List<(string Name, string Method, string Route)> HttpFunctions()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsOutputDirectory(), "functions.metadata")));
        var result = new List<(string, string, string)>();
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() != "httpTrigger")
                {
                    continue;
                }

                Assert.Equal("Anonymous", binding.GetProperty("authLevel").GetString());
                foreach (var method in binding.GetProperty("methods").EnumerateArray())
                {
                    result.Add((function.GetProperty("name").GetString()!, method.GetString()!.ToUpperInvariant(), "/" + binding.GetProperty("route").GetString()));
                }
            }
        }

        return result;
    }

    [Fact]
    public void FunctionsMetadata_HttpRoutes_MatchCoreRouteTableExactly()
    {
        var functions = HttpFunctions().OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        var routes = Mem0Routes.Hosted.Append(DashboardEndpoints.Route).Select(r => (r.Name, r.Method, r.Template))
            .Concat(McpEndpoint.Methods.Select(m => (Name: McpFunctions.FunctionName, Method: m, Template: McpEndpoint.Path)))
            .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();

        Assert.Equal(routes, functions);
    }

    [Fact]
    public void FunctionsMetadata_QueueTrigger_IsStillPresent()
    {
        var text = File.ReadAllText(Path.Combine(FunctionsOutputDirectory(), "functions.metadata"));

        Assert.Contains("\"queueTrigger\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildOutput_HostJson_HasEmptyRoutePrefix()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsOutputDirectory(), "host.json")));

        Assert.Equal("", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }
}
