namespace Mem0.Benchmarks;

/// <summary>
/// One benchmark section, run as <c>dotnet run -c Release --project bench/Mem0.Benchmarks -- &lt;Name&gt;</c>.
/// Add a section by adding a class implementing this interface (public, parameterless constructor): it is found by reflection.
/// </summary>
public interface IBenchmark
{
    /// <summary>The sub-command, e.g. <c>search</c>.</summary>
    string Name { get; }

    string Description { get; }

    Task RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken);
}
