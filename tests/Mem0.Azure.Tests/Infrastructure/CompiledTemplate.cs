using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mem0.Azure.Tests.Infrastructure;

/// <summary>
/// infra/main.bicep compiled to ARM JSON, once per test run: by the Bicep CLI from the NuGet package
/// that infra/validate.sh uses, or else the copy validate.sh left in .artifacts/infra/main.json.
/// </summary>
internal static partial class CompiledTemplate
{
    private static readonly Lazy<(JsonObject? Template, string Source)> Compiled = new(Compile);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Why the template tests must be skipped, or null when a template is available.</summary>
    public static string? SkipReason => LocateBicep() is null && !File.Exists(ArtifactPath) ? MissingMessage : null;

    private static string ArtifactPath => Path.Combine(RepositoryRoot, ".artifacts", "infra", "main.json");

    private const string MissingMessage =
        "The Bicep CLI is absent (restore eng/tools/bicep/Bicep.Tools.csproj or run infra/validate.sh; "
        + "BICEP_PATH overrides) and .artifacts/infra/main.json does not exist.";

    public static JsonObject Main => Compiled.Value.Template ?? throw new InvalidOperationException(Compiled.Value.Source);

    /// <summary>The inline template of the module deployed under <paramref name="deploymentName"/>.</summary>
    public static JsonObject Module(string deploymentName) =>
        ModuleDeployment(deploymentName)["properties"]?["template"] as JsonObject
        ?? throw new InvalidOperationException($"Module '{deploymentName}' has no inline template.");

    /// <summary>The Microsoft.Resources/deployments resource main.bicep creates for a module.</summary>
    public static JsonObject ModuleDeployment(string deploymentName) =>
        Resources(Main).FirstOrDefault(r =>
            (string?)r["type"] == "Microsoft.Resources/deployments" && (string?)r["name"] == deploymentName)
        ?? throw new InvalidOperationException($"main.bicep deploys no module named '{deploymentName}'.");

    public static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    public static string? LocateBicep()
    {
        var configured = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        var toolsProject = File.ReadAllText(Path.Combine(RepositoryRoot, "eng", "tools", "bicep", "Bicep.Tools.csproj"));
        var version = BicepVersion().Match(toolsProject).Groups[1].Value;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, "azure.bicep.commandline.linux-x64", version, "tools", "bicep");
        return OperatingSystem.IsLinux() && File.Exists(path) ? path : null;
    }

    private static (JsonObject?, string) Compile()
    {
        var bicep = LocateBicep();
        if (bicep is not null)
        {
            return (RunBicepBuild(bicep), $"compiled by {bicep}");
        }

        return File.Exists(ArtifactPath)
            ? ((JsonObject)JsonNode.Parse(File.ReadAllText(ArtifactPath))!, ArtifactPath)
            : (null, MissingMessage);
    }

    private static JsonObject RunBicepBuild(string bicep)
    {
        if (OperatingSystem.IsLinux() && !File.GetUnixFileMode(bicep).HasFlag(UnixFileMode.UserExecute))
        {
            // NuGet extracts package files without the execute bit.
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo(bicep)
        {
            ArgumentList = { "build", Path.Combine(RepositoryRoot, "infra", "main.bicep"), "--stdout" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {bicep}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill();
            throw new TimeoutException("bicep build did not finish in 3 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build failed ({process.ExitCode}):\n{stderr.Result}");
        }

        return (JsonObject)JsonNode.Parse(stdout.Result)!;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mem0.Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Mem0.Functions.sln not found above the test output directory.");
    }

    [GeneratedRegex("""Azure\.Bicep\.CommandLine\.linux-x64" Version="\[([0-9.]+)\]""")]
    private static partial Regex BicepVersion();
}
