using System.Diagnostics;

namespace Mem0.Functions.Tests.Http;

/// <summary>Publishes the already-built Functions app once (no build, no restore) into a temporary directory.</summary>
public sealed class PublishFixture : IDisposable
{
    public PublishFixture()
    {
        OutputDirectory = Path.Combine(Path.GetTempPath(), "mem0-functions-publish-" + Guid.NewGuid().ToString("N"));
        var functionsOutput = new DirectoryInfo(FunctionsMetadataTests.FunctionsOutputDirectory());
        var configuration = functionsOutput.Parent!.Name;
        var project = Path.Combine(functionsOutput.Parent.Parent!.Parent!.FullName, "Mem0.Functions.csproj");
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", configuration, "--no-build", "--no-restore", "-o", OutputDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        ExitCode = process.ExitCode;
        Log = stdout.Result + stderr.Result;
    }

    public string OutputDirectory { get; }

    public int ExitCode { get; }

    public string Log { get; }

    public void Dispose()
    {
        if (Directory.Exists(OutputDirectory))
        {
            Directory.Delete(OutputDirectory, recursive: true);
        }
    }
}

public sealed class PublishOutputTests(PublishFixture publish) : IClassFixture<PublishFixture>
{
    [Fact]
    public void Publish_Succeeds()
    {
        Assert.True(publish.ExitCode == 0, publish.Log);
    }

    [Fact]
    public void Publish_ContainsHostJsonMetadataAndWorker()
    {
        Assert.True(File.Exists(Path.Combine(publish.OutputDirectory, "host.json")), publish.Log);
        Assert.True(File.Exists(Path.Combine(publish.OutputDirectory, "functions.metadata")), publish.Log);
        Assert.True(File.Exists(Path.Combine(publish.OutputDirectory, "Mem0.Functions.dll")), publish.Log);
    }

    [Fact]
    public void Publish_DoesNotShipLocalSettings()
    {
        Assert.False(File.Exists(Path.Combine(publish.OutputDirectory, "local.settings.json")));
    }

    [Fact]
    public void Publish_FunctionsMetadata_PassesTheHostsStartupRules()
    {
        // What azd uploads is what the host validates: the published copy, not only the build's.
        Assert.True(publish.ExitCode == 0, publish.Log);
        var functions = FunctionEntry.Load(Path.Combine(publish.OutputDirectory, "functions.metadata"));

        using var host = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(publish.OutputDirectory, "host.json")));
        var prefix = host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString() ?? "api";

        var violations = FunctionsHostRules.Violations(functions, prefix);

        Assert.NotEmpty(functions);
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
