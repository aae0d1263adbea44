namespace Mem0.Integrations.Tests.SemanticKernel;

/// <summary>The C# example in docs/integrations.md (linked from the README) is this project's <c>AgentMemoryExample.cs</c>, so it is proven to compile and run.</summary>
public sealed class DocsExampleTests
{
    private const string ExamplePath = "tests/Mem0.Integrations.Tests/SemanticKernel/AgentMemoryExample.cs";

    [Fact]
    public void IntegrationsDoc_SemanticKernelExample_IsTheCompiledFile()
    {
        var root = RepositoryRoot();
        var document = File.ReadAllText(Path.Combine(root, "docs", "integrations.md")).ReplaceLineEndings("\n");
        var marker = $"<!-- {ExamplePath} -->\n```csharp\n";
        var start = document.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/integrations.md has no block marked '{ExamplePath}'.");
        start += marker.Length;
        var end = document.IndexOf("\n```", start, StringComparison.Ordinal);
        var block = document[start..end];

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
