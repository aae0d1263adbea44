using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Azure.Cosmos;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>One request the SDK sent to the fake gateway.</summary>
internal sealed record RecordedRequest(HttpMethod Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public bool IsQuery => Headers.TryGetValue("x-ms-documentdb-isquery", out var q) && q == "True" || Headers.ContainsKey("x-ms-documentdb-query");

    /// <summary>Size of the body as sent, in bytes (a transactional batch's body is binary: <see cref="Body"/> is lossy).</summary>
    public int BodyBytes { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? PartitionKey => Header("x-ms-documentdb-partitionkey");

    public string? QueryText => IsQuery ? JsonNode.Parse(Body)?["query"]?.GetValue<string>() : null;

    public IReadOnlyDictionary<string, JsonNode?> QueryParameters =>
        IsQuery && JsonNode.Parse(Body)?["parameters"] is JsonArray parameters
            ? parameters.ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["value"])
            : new Dictionary<string, JsonNode?>();
}

/// <summary>A canned answer.</summary>
internal sealed record FakeResponse(HttpStatusCode Status, string Body = "{}", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeResponse Documents(IEnumerable<object> documents, string? continuation = null, double charge = 2.5)
    {
        var items = documents.Select(d => JsonSerializer.SerializeToNode(d, CosmosJson.Options)).ToArray();
        var body = new JsonObject { ["_rid"] = "dKBaAKvEAQA=", ["Documents"] = new JsonArray(items), ["_count"] = items.Length };
        var headers = new Dictionary<string, string> { ["x-ms-request-charge"] = charge.ToString(System.Globalization.CultureInfo.InvariantCulture), ["x-ms-item-count"] = items.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (continuation is not null)
        {
            headers["x-ms-continuation"] = continuation;
        }

        return new FakeResponse(HttpStatusCode.OK, body.ToJsonString(), headers);
    }

    /// <summary>A successful write with no content (the store disables content responses on writes).</summary>
    public static FakeResponse Written(HttpStatusCode status = HttpStatusCode.Created, double charge = 6.2) =>
        new(status, "", new Dictionary<string, string> { ["x-ms-request-charge"] = charge.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public static FakeResponse Error(HttpStatusCode status, double? retryAfterMs = null)
    {
        var headers = new Dictionary<string, string> { ["x-ms-request-charge"] = "1" };
        if (retryAfterMs is { } ms)
        {
            headers["x-ms-retry-after-ms"] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // The SDK retries 429s on its own; the fake answers every retry the same, and the tests disable retries.
        var body = new JsonObject { ["code"] = status.ToString(), ["message"] = "fake gateway: " + status }.ToJsonString();
        return new FakeResponse(status, body, headers);
    }
}

/// <summary>
/// An in-process Cosmos DB gateway for the SDK in Gateway mode: answers the account, database, container and
/// partition-key-range reads from the real layout, records every request, and answers document requests with the
/// responses a test scripted (empty query results otherwise). Nothing leaves the process.
/// </summary>
internal sealed class FakeCosmosGateway : HttpMessageHandler
{
    public const string Endpoint = "https://127.0.0.1:8081/";
    private const string DatabaseRid = "dKBaAA==";

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<(Func<RecordedRequest, bool> Match, Func<RecordedRequest, FakeResponse> Respond)> _rules = [];
    private readonly CosmosLayout _layout;

    public FakeCosmosGateway(CosmosLayout? layout = null)
    {
        _layout = layout ?? CosmosLayout.LoadEmbedded();
        foreach (var (definition, index) in _layout.Containers.Select((d, i) => (d, i)))
        {
            ContainerJson[definition.Name] = ContainerPropertiesJson(_layout.BuildContainerProperties(definition.Name), index);
        }
    }

    /// <summary>The container properties returned on reads; remove one to simulate a missing container, or replace it.</summary>
    public ConcurrentDictionary<string, string> ContainerJson { get; } = new();

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Answers any request before the built-in ones when it returns a response (e.g. 403 until a role "applies").</summary>
    public Func<RecordedRequest, FakeResponse?>? Intercept { get; set; }

    /// <summary>Document requests only (queries, point reads, writes), in order.</summary>
    public IReadOnlyList<RecordedRequest> DocumentRequests => Requests.Where(r => r.Path.Contains("/docs", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<RecordedRequest> Queries => Requests.Where(r => r.IsQuery).ToList();

    /// <summary>Answers matching document requests; later rules win over earlier ones.</summary>
    public FakeCosmosGateway On(Func<RecordedRequest, bool> match, Func<RecordedRequest, FakeResponse> respond)
    {
        lock (_rules)
        {
            _rules.Insert(0, (match, respond));
        }

        return this;
    }

    public FakeCosmosGateway On(Func<RecordedRequest, bool> match, FakeResponse response) => On(match, _ => response);

    /// <summary>A client wired to this gateway (Gateway mode, no endpoint discovery, no 429 retries).</summary>
    public CosmosClient CreateClient(string? key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==") =>
        CosmosClientFactory.Create(new CosmosOptions { Endpoint = Endpoint, Key = key }, configure: ConfigureClient);

    public void ConfigureClient(CosmosClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ConnectionMode = ConnectionMode.Gateway;
        options.LimitToEndpoint = true;
        options.MaxRetryAttemptsOnRateLimitedRequests = 0;
        options.HttpClientFactory = () => new HttpClient(this, disposeHandler: false);
    }

    public CosmosContainers CreateContainers() => new(CreateClient(), _layout);

    public static CosmosTelemetry CreateTelemetry() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), NullLogger<CosmosTelemetry>.Instance);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var bytes = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var body = Encoding.UTF8.GetString(bytes);
        var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath).Trim('/');
        var recorded = new RecordedRequest(request.Method, path, headers, body) { BodyBytes = bytes.Length };
        _requests.Enqueue(recorded);
        return ToMessage(Answer(recorded));
    }

    private FakeResponse Answer(RecordedRequest request)
    {
        if (Intercept?.Invoke(request) is { } intercepted)
        {
            return intercepted;
        }

        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return new FakeResponse(HttpStatusCode.OK, AccountJson());
        }

        if (segments.Length >= 4 && segments[0] == "dbs" && segments[2] == "colls")
        {
            var container = segments[3];
            if (segments.Length == 4)
            {
                return ContainerJson.TryGetValue(container, out var json)
                    ? new FakeResponse(HttpStatusCode.OK, json)
                    : FakeResponse.Error(HttpStatusCode.NotFound);
            }

            if (segments[4] == "pkranges")
            {
                return request.Header("if-none-match") is not null
                    ? new FakeResponse(HttpStatusCode.NotModified, "", new Dictionary<string, string> { ["etag"] = "\"1\"" })
                    : new FakeResponse(HttpStatusCode.OK, PartitionKeyRangesJson(container), new Dictionary<string, string> { ["etag"] = "\"1\"" });
            }

            lock (_rules)
            {
                foreach (var (match, respond) in _rules)
                {
                    if (match(request))
                    {
                        return ShapeForOrderBy(request, respond(request));
                    }
                }
            }

            return request.IsQuery ? FakeResponse.Documents([]) : FakeResponse.Error(HttpStatusCode.NotFound);
        }

        if (segments.Length == 2 && segments[0] == "dbs")
        {
            return new FakeResponse(HttpStatusCode.OK, new JsonObject { ["id"] = segments[1], ["_rid"] = DatabaseRid, ["_self"] = $"dbs/{DatabaseRid}/", ["_etag"] = "\"0\"" }.ToJsonString());
        }

        return FakeResponse.Error(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// For ORDER BY the SDK rewrites the query to project <c>orderByItems</c> and <c>payload</c> and merges pages by them;
    /// the fake wraps scripted documents the same way, ordering on <c>createdAt</c>.
    /// </summary>
    private static FakeResponse ShapeForOrderBy(RecordedRequest request, FakeResponse response)
    {
        if (request.QueryText?.Contains("orderByItems", StringComparison.Ordinal) != true || response.Status != HttpStatusCode.OK)
        {
            return response;
        }

        var body = JsonNode.Parse(response.Body)!.AsObject();
        var documents = body["Documents"]!.AsArray();
        var wrapped = new JsonArray();
        foreach (var (document, index) in documents.Select((d, i) => (d, i)))
        {
            wrapped.Add(new JsonObject
            {
                ["_rid"] = DocumentRid(index),
                ["orderByItems"] = new JsonArray(new JsonObject { ["item"] = document?["createdAt"]?.DeepClone() }),
                ["payload"] = document?.DeepClone(),
            });
        }

        body["Documents"] = wrapped;
        return response with { Body = body.ToJsonString() };
    }

    /// <summary>A valid document resource id in the memories collection: collection rid (8 bytes) + document (8 bytes).</summary>
    private static string DocumentRid(int index)
    {
        var bytes = new byte[16];
        Convert.FromBase64String("dKBaAKvEAQA=").CopyTo(bytes, 0);
        bytes[8] = (byte)(index + 1);
        return Convert.ToBase64String(bytes);
    }

    private static HttpResponseMessage ToMessage(FakeResponse response)
    {
        var message = new HttpResponseMessage(response.Status)
        {
            Content = new StringContent(response.Body, Encoding.UTF8, "application/json"),
        };
        message.Headers.TryAddWithoutValidation("x-ms-activity-id", Guid.NewGuid().ToString());
        message.Headers.TryAddWithoutValidation("x-ms-session-token", "0:1#1");
        if (response.Headers is not null)
        {
            foreach (var (name, value) in response.Headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private static string CollectionRid(string container) => container switch
    {
        CosmosContainerNames.Memories => "dKBaAKvEAQA=",
        CosmosContainerNames.History => "dKBaAKvEAgA=",
        CosmosContainerNames.Events => "dKBaAKvEAwA=",
        CosmosContainerNames.Projects => "dKBaAKvEBAA=",
        CosmosContainerNames.ApiKeys => "dKBaAKvEBQA=",
        CosmosContainerNames.Webhooks => "dKBaAKvEBgA=",
        CosmosContainerNames.WebhookDeliveries => "dKBaAKvEBwA=",
        _ => "dKBaAKvECAA=",
    };

    private static string ContainerPropertiesJson(ContainerProperties properties, int index)
    {
        _ = index;
        var json = JObject.FromObject(properties);
        var rid = CollectionRid(properties.Id);
        json["_rid"] = rid;
        json["_self"] = $"dbs/{DatabaseRid}/colls/{rid}/";
        json["_etag"] = "\"00000000-0000-0000-0000-000000000000\"";
        json["_ts"] = 1700000000;
        return json.ToString(Newtonsoft.Json.Formatting.None);
    }

    private static string PartitionKeyRangesJson(string container)
    {
        var rid = CollectionRid(container);
        return new JsonObject
        {
            ["_rid"] = rid,
            ["PartitionKeyRanges"] = new JsonArray(new JsonObject
            {
                ["_rid"] = rid,
                ["id"] = "0",
                ["_etag"] = "\"1\"",
                ["minInclusive"] = "",
                ["maxExclusive"] = "FF",
                ["ridPrefix"] = 0,
                ["_self"] = $"dbs/{DatabaseRid}/colls/{rid}/pkranges/0/",
                ["throughputFraction"] = 1,
                ["status"] = "online",
                ["parents"] = new JsonArray(),
                ["_ts"] = 1700000000,
                ["_lsn"] = 1,
            }),
            ["_count"] = 1,
        }.ToJsonString();
    }

    private static string AccountJson()
    {
        var location = new JsonObject { ["name"] = "Local", ["databaseAccountEndpoint"] = Endpoint };
        var queryEngine = new JsonObject
        {
            ["maxSqlQueryInputLength"] = 262144,
            ["maxJoinsPerSqlQuery"] = 5,
            ["maxLogicalAndPerSqlQuery"] = 500,
            ["maxLogicalOrPerSqlQuery"] = 500,
            ["maxUdfRefPerSqlQuery"] = 10,
            ["maxInExpressionItemsCount"] = 16000,
            ["queryMaxInMemorySortDocumentCount"] = 500,
            ["maxQueryRequestTimeoutFraction"] = 0.9,
            ["sqlAllowNonFiniteNumbers"] = false,
            ["sqlAllowAggregateFunctions"] = true,
            ["sqlAllowSubQuery"] = true,
            ["sqlAllowScalarSubQuery"] = true,
            ["allowNewKeywords"] = true,
            ["sqlAllowLike"] = true,
            ["sqlAllowGroupByClause"] = true,
            ["maxSpatialQueryCells"] = 12,
            ["spatialMaxGeometryPointCount"] = 256,
            ["sqlDisableOptimizationFlags"] = 0,
            ["sqlAllowTop"] = true,
            ["enableSpatialIndexing"] = true,
        };
        return new JsonObject
        {
            ["_self"] = "",
            ["id"] = "fake",
            ["_rid"] = "fake.documents.azure.com",
            ["media"] = "//media/",
            ["addresses"] = "//addresses/",
            ["_dbs"] = "//dbs/",
            ["writableLocations"] = new JsonArray(location.DeepClone()),
            ["readableLocations"] = new JsonArray(location.DeepClone()),
            ["enableMultipleWriteLocations"] = false,
            ["userReplicationPolicy"] = new JsonObject { ["asyncReplication"] = false, ["minReplicaSetSize"] = 1, ["maxReplicasetSize"] = 4 },
            ["userConsistencyPolicy"] = new JsonObject { ["defaultConsistencyLevel"] = "Session" },
            ["systemReplicationPolicy"] = new JsonObject { ["minReplicaSetSize"] = 1, ["maxReplicasetSize"] = 4 },
            ["readPolicy"] = new JsonObject { ["primaryReadCoefficient"] = 1, ["secondaryReadCoefficient"] = 1 },
            ["queryEngineConfiguration"] = queryEngine.ToJsonString(),
        }.ToJsonString();
    }
}
