using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mem0.Azure.Cosmos;

/// <summary>
/// Checks at start that the database and containers exist with the partition keys and vector / full-text policies the
/// stores depend on. With Entra data-plane access the app cannot create containers (the Bicep does); with
/// <see cref="CosmosOptions.CreateIfMissing"/> they are created. A failed check never stops the host: right after
/// provisioning the app's data-plane role takes minutes to apply, and a host that threw here would crash on every cold
/// start until then. Instead it reports "not ready" through <see cref="CosmosReadiness"/> (API calls answer 503 with
/// Retry-After) and checks again with exponential backoff until the layout matches.
/// </summary>
public sealed partial class CosmosLayoutVerifier : BackgroundService
{
    private readonly CosmosContainers _containers;
    private readonly CosmosOptions _options;
    private readonly CosmosReadiness _readiness;
    private readonly TimeProvider _time;
    private readonly ILogger<CosmosLayoutVerifier> _logger;

    public CosmosLayoutVerifier(
        CosmosContainers containers,
        IOptions<CosmosOptions> options,
        CosmosReadiness readiness,
        TimeProvider time,
        ILogger<CosmosLayoutVerifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _containers = containers;
        _options = options.Value;
        _readiness = readiness;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = _options.StartupRetryDelay;
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            string problem;
            try
            {
                var problems = await VerifyAsync(stoppingToken);
                if (problems.Count == 0)
                {
                    _readiness.ReportReady();
                    LogVerified(_containers.Layout.DatabaseName, _containers.Layout.Containers.Count, attempt);
                    return;
                }

                problem = Describe(problems);
                LogMismatch(problem, attempt, delay);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Anything else (403 before the role applies, DNS, timeouts): not ready yet, never a crashed host.
                problem = DescribeFailure(ex);
                LogUnreachable(ex, problem, attempt, delay);
            }

            _readiness.ReportNotReady(problem, _time.GetUtcNow() + delay);
            try
            {
                await Task.Delay(delay, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.StartupRetryMaxDelay.Ticks));
        }
    }

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

    private string DescribeFailure(Exception exception) => exception switch
    {
        CosmosException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } cosmos =>
            $"Cosmos DB at {_options.Endpoint} refused the app's identity ({(int)cosmos.StatusCode}): right after provisioning its "
            + "data-plane role assignment can take several minutes to apply; otherwise check the role (infra/modules/rbac.bicep).",
        CosmosException cosmos => $"Cosmos DB at {_options.Endpoint} answered {(int)cosmos.StatusCode} while the layout was checked.",
        _ => $"Cosmos DB at {_options.Endpoint} could not be reached to check the layout ({exception.GetType().Name}).",
    };

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Cosmos DB database {Database}: {Count} containers match the layout (attempt {Attempt})")]
    private partial void LogVerified(string database, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not ready (attempt {Attempt}, next in {Delay}): {Problem}")]
    private partial void LogMismatch(string problem, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not ready (attempt {Attempt}, next in {Delay}): {Problem}")]
    private partial void LogUnreachable(Exception exception, string problem, int attempt, TimeSpan delay);
}
