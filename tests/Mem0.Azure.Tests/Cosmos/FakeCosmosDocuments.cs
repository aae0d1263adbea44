using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mem0.Azure.Tests.Cosmos;

/// <summary>
/// Makes a <see cref="FakeCosmosGateway"/> stateful for point operations (create, upsert, read, replace, delete, patch),
/// keyed by container, partition key and id, and answers the simple queries the webhook store and the outbox send:
/// a WHERE of <c>c.x = @p</c>, <c>c.x = true|false</c> and <c>ARRAY_CONTAINS(@p, c.x)</c> joined by AND, an optional
/// <c>TOP</c> and <c>ORDER BY c.x [ASC|DESC]</c>. Anything else fails the test loudly rather than answering wrongly.
/// Transactional batches are not understood (their body is binary HybridRow).
/// </summary>
internal sealed partial class FakeCosmosDocuments
{
    private readonly List<StoredDocument> _documents = [];
    private readonly Lock _lock = new();
    private int _etag;

    public FakeCosmosDocuments(FakeCosmosGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        gateway.On(r => r.Path.Contains("/docs", StringComparison.Ordinal), Handle);
    }

    /// <summary>The stored documents of a container, in insertion order.</summary>
    public IReadOnlyList<JsonObject> In(string container)
    {
        lock (_lock)
        {
            return _documents.Where(d => d.Container == container).Select(d => d.Body.DeepClone().AsObject()).ToList();
        }
    }

    private FakeResponse Handle(RecordedRequest request)
    {
        if (request.Header("x-ms-cosmos-is-batch-request") is not null)
        {
            throw new NotSupportedException("The fake does not understand transactional batches.");
        }

        var segments = request.Path.Split('/');
        var container = segments[3];
        var id = segments.Length > 5 ? segments[5] : null;
        var partitionKey = request.PartitionKey;
        lock (_lock)
        {
            if (request.IsQuery)
            {
                return Query(container, partitionKey, request);
            }

            if (request.Method == HttpMethod.Post)
            {
                var body = JsonNode.Parse(request.Body)!.AsObject();
                var upsert = string.Equals(request.Header("x-ms-documentdb-is-upsert"), "True", StringComparison.OrdinalIgnoreCase);
                var existing = Find(container, partitionKey!, body["id"]!.GetValue<string>());
                if (existing is not null && !upsert)
                {
                    return FakeResponse.Error(HttpStatusCode.Conflict);
                }

                if (existing is not null)
                {
                    _documents.Remove(existing);
                }

                return Store(container, partitionKey!, body, existing is null ? HttpStatusCode.Created : HttpStatusCode.OK);
            }

            var current = Find(container, partitionKey!, id!);
            if (current is null)
            {
                return FakeResponse.Error(HttpStatusCode.NotFound);
            }

            if (request.Header("if-match") is { } ifMatch && ifMatch != current.Body["_etag"]!.GetValue<string>())
            {
                return FakeResponse.Error(HttpStatusCode.PreconditionFailed);
            }

            if (request.Method == HttpMethod.Get)
            {
                return Answer(HttpStatusCode.OK, current.Body);
            }

            _documents.Remove(current);
            if (request.Method == HttpMethod.Delete)
            {
                return new FakeResponse(HttpStatusCode.NoContent, "", new Dictionary<string, string> { ["x-ms-request-charge"] = "5" });
            }

            if (request.Method == HttpMethod.Put)
            {
                return Store(container, partitionKey!, JsonNode.Parse(request.Body)!.AsObject(), HttpStatusCode.OK);
            }

            if (request.Method == HttpMethod.Patch)
            {
                var patched = current.Body.DeepClone().AsObject();
                foreach (var operation in JsonNode.Parse(request.Body)!["operations"]!.AsArray())
                {
                    if (operation!["op"]!.GetValue<string>() != "set")
                    {
                        throw new NotSupportedException("The fake patches with 'set' only.");
                    }

                    patched[operation["path"]!.GetValue<string>().TrimStart('/')] = operation["value"]?.DeepClone();
                }

                return Store(container, partitionKey!, patched, HttpStatusCode.OK);
            }

            throw new NotSupportedException($"The fake does not answer {request.Method} {request.Path}.");
        }
    }

    private StoredDocument? Find(string container, string partitionKey, string id) =>
        _documents.FirstOrDefault(d => d.Container == container && d.PartitionKey == partitionKey && d.Id == id);

    private FakeResponse Store(string container, string partitionKey, JsonObject body, HttpStatusCode status)
    {
        body["_etag"] = $"\"{++_etag}\"";
        _documents.Add(new StoredDocument(container, partitionKey, body["id"]!.GetValue<string>(), body));
        return Answer(status, body);
    }

    private static FakeResponse Answer(HttpStatusCode status, JsonObject body) =>
        new(status, body.ToJsonString(), new Dictionary<string, string>
        {
            ["x-ms-request-charge"] = "5",
            ["etag"] = body["_etag"]!.GetValue<string>(),
        });

    private FakeResponse Query(string container, string? partitionKey, RecordedRequest request)
    {
        var text = request.QueryText!;
        var parameters = request.QueryParameters;
        var match = QueryPattern().Match(text);
        if (!match.Success)
        {
            throw new NotSupportedException("The fake cannot evaluate: " + text);
        }

        IEnumerable<JsonObject> rows = _documents
            .Where(d => d.Container == container && (partitionKey is null || d.PartitionKey == partitionKey))
            .Select(d => d.Body)
            .Where(body => Matches(body, match.Groups["where"].Value, parameters))
            .ToList();
        if (match.Groups["order"].Success)
        {
            var field = match.Groups["order"].Value;
            var descending = match.Groups["dir"].Value == "DESC";
            rows = descending
                ? rows.OrderByDescending(b => b[field]?.ToString(), StringComparer.Ordinal)
                : rows.OrderBy(b => b[field]?.ToString(), StringComparer.Ordinal);
        }

        if (match.Groups["top"].Success)
        {
            var top = match.Groups["top"].Value;
            rows = rows.Take(top.StartsWith('@') ? parameters[top]!.GetValue<int>() : int.Parse(top, CultureInfo.InvariantCulture));
        }

        return FakeResponse.Documents(rows.Select(r => r.DeepClone()).ToList());
    }

    /// <summary>Evaluates the WHERE clause; the SDK's ORDER BY rewrite wraps it in parentheses and adds "AND (true)".</summary>
    private static bool Matches(JsonObject body, string where, IReadOnlyDictionary<string, JsonNode?> parameters)
    {
        foreach (var rawTerm in where.Split(" AND ", StringSplitOptions.TrimEntries))
        {
            var term = StripGrouping(rawTerm);
            if (term is "true")
            {
                continue;
            }

            if (ArrayContainsPattern().Match(term) is { Success: true } contains)
            {
                var values = parameters[contains.Groups["param"].Value]!.AsArray().Select(v => v!.ToJsonString());
                if (!values.Contains(Field(body, contains.Groups["field"].Value)))
                {
                    return false;
                }

                continue;
            }

            if (EqualsPattern().Match(term) is { Success: true } equals)
            {
                var value = equals.Groups["value"].Value;
                var expected = value.StartsWith('@') ? parameters[value]!.ToJsonString() : value;
                if (Field(body, equals.Groups["field"].Value) != expected)
                {
                    return false;
                }

                continue;
            }

            throw new NotSupportedException("The fake cannot evaluate the condition: " + term);
        }

        return true;
    }

    /// <summary>Removes the grouping parentheses around a term, keeping a function call's own.</summary>
    private static string StripGrouping(string term)
    {
        term = term.Trim().TrimStart('(');
        while (term.EndsWith(')') && term.Count(c => c == ')') > term.Count(c => c == '('))
        {
            term = term[..^1];
        }

        return term;
    }

    private static string Field(JsonObject body, string name) => body[name]?.ToJsonString() ?? "undefined";

    [GeneratedRegex(@"^SELECT (TOP (?<top>@?\w+) )?.*? FROM c WHERE (?<where>.+?)( ORDER BY c\.(?<order>\w+)( (?<dir>ASC|DESC))?)?$")]
    private static partial Regex QueryPattern();

    [GeneratedRegex(@"^ARRAY_CONTAINS\((?<param>@\w+), c\.(?<field>\w+)\)$")]
    private static partial Regex ArrayContainsPattern();

    [GeneratedRegex(@"^c\.(?<field>\w+) = (?<value>@\w+|true|false)$")]
    private static partial Regex EqualsPattern();

    private sealed record StoredDocument(string Container, string PartitionKey, string Id, JsonObject Body);
}
