namespace Mem0.Integrations.Tests.SemanticKernel;

/// <summary>The README's C# example is this project's <c>AgentMemoryExample.cs</c>, so it is proven to compile and run.</summary>
public sealed class ReadmeExampleTests
{
    private const string ExamplePath = "tests/Mem0.Integrations.Tests/SemanticKernel/AgentMemoryExample.cs";

    [Fact]
    public void Readme_SemanticKernelExample_IsTheCompiledFile()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var marker = $"<!-- {ExamplePath} -->\n```csharp\n";
        var start = readme.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no block marked '{ExamplePath}'.");
        start += marker.Length;
        var end = readme.IndexOf("\n```", start, StringComparison.Ordinal);
        var block = readme[start..end];

        var source = File.ReadAllText(Path.Combine(root, ExamplePath)).ReplaceLineEndings("\n").TrimEnd('\n');

        Assert.Equal(source, block);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Mem0.Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Mem0.Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
