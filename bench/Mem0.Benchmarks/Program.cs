using System.Reflection;
using Mem0.Benchmarks;

var sections = typeof(IBenchmark).Assembly.GetTypes()
    .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(type))
    .Select(type => (IBenchmark)Activator.CreateInstance(type)!)
    .OrderBy(section => section.Name, StringComparer.Ordinal)
    .ToList();

var name = args.Length > 0 ? args[0] : null;
var chosen = sections.FirstOrDefault(section => string.Equals(section.Name, name, StringComparison.OrdinalIgnoreCase));
if (chosen is null)
{
    Console.WriteLine("Usage: dotnet run -c Release --project bench/Mem0.Benchmarks -- <section> [options]");
    Console.WriteLine();
    foreach (var section in sections)
    {
        Console.WriteLine($"  {section.Name,-12} {section.Description}");
    }

    return name is null ? 0 : 1;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

Console.WriteLine($"{chosen.Name}: {Environment.ProcessorCount} logical cores, {RuntimeInformationText()}");
await chosen.RunAsync(args.Skip(1).ToList(), Console.Out, cancellation.Token);
return 0;

static string RuntimeInformationText() =>
    $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
    $"{(typeof(Program).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "?")} build";
