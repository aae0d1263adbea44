using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Cosmos;

/// <summary>
/// Checks at start that the database and containers exist with the partition keys and vector / full-text policies the
/// stores depend on. With Entra data-plane access the app cannot create containers (the Bicep does), so a mismatch is a
/// deployment error reported before the first request; with <see cref="CosmosOptions.CreateIfMissing"/> they are created.
/// </summary>
public sealed partial class CosmosLayoutVerifier : IHostedService
{
    private readonly CosmosContainers _containers;
    private readonly CosmosOptions _options;
    private readonly ILogger<CosmosLayoutVerifier> _logger;

    public CosmosLayoutVerifier(CosmosContainers containers, IOptions<CosmosOptions> options, ILogger<CosmosLayoutVerifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _containers = containers;
        _options = options.Value;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = await VerifyAsync(cancellationToken);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(Describe(problems));
        }

        LogVerified(_containers.Layout.DatabaseName, _containers.Layout.Containers.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every missing or mismatched container, as "container 'x': problem" lines; empty when the layout matches.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var layout = _containers.Layout;
        var database = _containers.Client.GetDatabase(layout.DatabaseName);
        if (_options.CreateIfMissing)
        {
            await _containers.Client.CreateDatabaseIfNotExistsAsync(layout.DatabaseName, cancellationToken: cancellationToken);
        }

        var problems = new List<string>();
        foreach (var definition in layout.Containers)
        {
            ContainerProperties? actual;
            if (_options.CreateIfMissing)
            {
                var created = await database.CreateContainerIfNotExistsAsync(layout.BuildContainerProperties(definition.Name), cancellationToken: cancellationToken);
                actual = created.Resource;
            }
            else
            {
                actual = await ReadContainerAsync(database.GetContainer(definition.Name), cancellationToken);
            }

            if (actual is null)
            {
                problems.Add($"container '{definition.Name}' is missing");
                continue;
            }

            problems.AddRange(layout.FindMismatches(definition.Name, actual).Select(p => $"container '{definition.Name}': {p}"));
        }

        return problems;
    }

    private string Describe(IReadOnlyList<string> problems) =>
        $"The Cosmos DB database '{_containers.Layout.DatabaseName}' at {_options.Endpoint} does not match infra/cosmos-containers.json: "
        + string.Join("; ", problems)
        + ". Provision it with the Bicep in infra/ (azd provision), or for local use with a key set Mem0:Cosmos:CreateIfMissing=true. "
        + "Vector and full-text policies cannot be changed on an existing container: recreate it.";

    private static async Task<ContainerProperties?> ReadContainerAsync(Container container, CancellationToken cancellationToken)
    {
        try
        {
            var response = await container.ReadContainerAsync(cancellationToken: cancellationToken);
            return response.Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cosmos DB database {Database}: {Count} containers match the layout")]
    private partial void LogVerified(string database, int count);
}
