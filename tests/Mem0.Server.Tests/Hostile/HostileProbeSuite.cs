using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mem0.Core.Http;
using Xunit.Abstractions;

namespace Mem0.Server.Tests.Hostile;

/// <summary>
/// Issue 13's hostile-input suite: for every route of the shared route table, malformed, oversized, wrongly typed,
/// wrongly encoded, deeply nested and injection-shaped requests over real HTTP. Whatever the answer, it is never a
/// 5xx and never carries a stack trace. Prints "N probes, 0 answered 5xx".
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HostileProbeSuite(ServerFixture server, ITestOutputHelper output)
{
    private const string SomeUuid = "3f2a6c1e-8b7d-4e5f-9a0b-1c2d3e4f5a6b";

    /// <summary>Values put in place of each field of a route's valid body (raw JSON text).</summary>
    private static readonly string[] BadValues =
    [
        "123", "-1", "1e400", "99999999999999999999999", "true", "null", "[]", "{}", "\"\"", "\"   \"", "[1,\"a\",null]",
        "{\"a\":{\"b\":[1,{\"c\":\"d\"}]}}", Json(new string('x', 100_000)), "\"\\ud800\"", "\"\\udfff tail\"", "\"\\u0000\"",
        Json("'; DROP TABLE memories; --"), Json("\" OR 1=1 --"), Json("../../../../etc/passwd"), Json("<script>alert(1)</script>"),
        Json("${jndi:ldap://127.0.0.1:1/a}"), Json("{{7*7}}"), Json("$.metadata[?(@.a)]"), Json("\r\nX-Injected: 1"),
        Deep(300), Deep(40), "{\"$where\":\"1\",\"AND\":[{\"user_id\":{\"$ne\":null}}],\"metadata.a') OR 1=1--\":1}",
        "[{\"role\":\"user\",\"content\":{\"type\":\"image_url\",\"image_url\":{\"url\":\"file:///etc/passwd\"}}}]",
    ];

    /// <summary>Whole bodies sent to every route that reads one.</summary>
    private static readonly string[] BadBodies =
    [
        "", "{", "[", "}", "null", "123", "\"text\"", "[]", "[{}]", "{\"a\":}", "{'a': 1}", "{\"a\":1,}", "\uFEFF{}",
        "{\"a\":1,\"a\":2}", Deep(100_000), "{" + string.Join(',', Enumerable.Range(0, 20_000).Select(i => $"\"k{i}\":{i}")) + "}",
    ];

    private static readonly string[] PathValues =
    [
        "x", SomeUuid, "%00", "%2e%2e%2f%2e%2e%2fetc", "%ED%A0%80", "%FF%FE", new string('a', 3000), "'%20OR%201=1--", "*", "%252F",
        "..", "%20", "1", "-1", "99999999999999999999999",
    ];

    private static readonly string[] Queries =
    [
        "?page=-1&page_size=abc", "?page=99999999999&page_size=0", "?page_size=1e9", "?user_id=%FF", "?user_id=%ED%A0%80",
        "?user_id='%20OR%201=1--&agent_id=*", "?status=bogus&event_type=%00", "?delete_linked=maybe&infer=maybe",
        "?cursor=garbage%FF&page=2&page_size=5", "?user_id=" + new string('u', 5000), "?fields=a&fields=%FF",
    ];

    [Fact]
    public async Task EveryRoute_HostileRequests_NeverAnswer5xxNorAStackTrace()
    {
        using var client = server.Client();
        client.Timeout = TimeSpan.FromMinutes(2);
        client.DefaultRequestHeaders.Add("X-Mem0-Admin-Key", ServerFixture.AdminKey);
        var projectId = (await ServerFixture.ReadJsonAsync(await client.GetAsync("/v1/ping/"))).GetProperty("project_id").GetString()!;
        var probes = 0;
        var failures = new List<string>();

        async Task ProbeAsync(string method, string path, HttpContent? content)
        {
            probes++;
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
            try
            {
                using var response = await client.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500 || text.Contains("   at ", StringComparison.Ordinal))
                {
                    failures.Add($"{method} {Shorten(path)} {Shorten(content is null ? "" : await content.ReadAsStringAsync())} -> {(int)response.StatusCode} {Shorten(text)}");
                }
            }
            catch (HttpRequestException ex)
            {
                failures.Add($"{method} {Shorten(path)} -> connection failed: {ex.Message}");
            }
        }

        foreach (var route in Mem0Routes.All)
        {
            var path = Fill(route.Template, projectId);
            var takesBody = route.Method is "POST" or "PUT" or "PATCH" or "DELETE";

            foreach (var value in PathValues.Where(_ => route.Template.Contains('{', StringComparison.Ordinal)))
            {
                await ProbeAsync(route.Method, FillAll(route.Template, value), takesBody ? JsonContent(ValidBody(route.Name)) : null);
            }

            foreach (var query in Queries)
            {
                await ProbeAsync(route.Method, path + query, takesBody ? JsonContent(ValidBody(route.Name)) : null);
            }

            if (!takesBody)
            {
                continue;
            }

            foreach (var body in BadBodies)
            {
                await ProbeAsync(route.Method, path, JsonContent(body));
            }

            await ProbeAsync(route.Method, path, RawContent([.. "{\"query\":\"a"u8.ToArray(), 0xC3, 0x28, 0xFF, .. "\",\"text\":\"b\"}"u8.ToArray()]));
            await ProbeAsync(route.Method, path, RawContent(new byte[11 * 1024 * 1024]));
            await ProbeAsync(route.Method, path, new StringContent(ValidBody(route.Name), Encoding.UTF8, "text/plain"));
            await ProbeAsync(route.Method, path, new StringContent(ValidBody(route.Name), Encoding.Latin1, "application/json"));

            var valid = JsonNode.Parse(ValidBody(route.Name))!;
            foreach (var fieldPath in FieldPaths(valid, ""))
            {
                foreach (var value in BadValues)
                {
                    await ProbeAsync(route.Method, path, JsonContent(Replace(valid, fieldPath, value)));
                }

                await ProbeAsync(route.Method, path, RawContent(InvalidUtf8At(valid, fieldPath)));
            }
        }

        output.WriteLine($"{probes} probes, {failures.Count} answered 5xx");
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes} probes answered 5xx or a stack trace:\n" + string.Join('\n', failures.Take(30)));
    }

    /// <summary>A valid body for each route, whose every field the suite then spoils in turn.</summary>
    private static string ValidBody(string routeName) => routeName switch
    {
        "AddMemories" or "AddMemoriesV1" =>
            "{\"messages\":[{\"role\":\"user\",\"content\":\"I like green tea\"}],\"user_id\":\"probe\",\"infer\":false,\"metadata\":{\"a\":1},\"timestamp\":1700000000,\"expiration_date\":\"2030-01-01\",\"custom_categories\":[{\"tea\":\"drinks\"}],\"immutable\":false,\"output_format\":\"v1.1\"}",
        "SearchMemories" => "{\"query\":\"tea\",\"filters\":{\"AND\":[{\"user_id\":\"probe\"},{\"metadata\":{\"a\":{\"gte\":1}}}]},\"top_k\":5,\"threshold\":0.1,\"fields\":[\"id\"]}",
        "SearchMemoriesV1" or "SearchMemoriesV2" => "{\"query\":\"tea\",\"user_id\":\"probe\",\"filters\":{\"user_id\":\"probe\"},\"top_k\":5}",
        "ListMemories" or "ListMemoriesV2" => "{\"filters\":{\"user_id\":\"probe\",\"created_at\":{\"gte\":\"2020-01-01\"}},\"page\":1,\"page_size\":10,\"show_expired\":true}",
        "UpdateMemory" => "{\"text\":\"I like black tea\",\"metadata\":{\"a\":2},\"timestamp\":1700000000,\"expiration_date\":\"2030-01-01\"}",
        "ImportMemories" => "{\"items\":[{\"memory\":\"I like tea\",\"user_id\":\"probe\",\"metadata\":{\"a\":1}}],\"infer\":false}",
        "BatchUpdateMemories" => $"{{\"memories\":[{{\"memory_id\":\"{SomeUuid}\",\"text\":\"x\",\"metadata\":{{\"a\":1}}}}]}}",
        "BatchDeleteMemories" or "DeleteMemory" or "DeleteAllMemories" or "DeleteEntity" or "DeleteEntityLegacy" => $"{{\"memories\":[{{\"memory_id\":\"{SomeUuid}\"}}]}}",
        "CreateFeedback" => $"{{\"memory_id\":\"{SomeUuid}\",\"feedback\":\"POSITIVE\",\"feedback_reason\":\"good\"}}",
        "CreateMemoryExport" => "{\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}},\"filters\":{\"user_id\":\"probe\"},\"export_instructions\":\"x\"}",
        "GetMemoryExport" => "{\"memory_export_id\":\"x\",\"filters\":{\"user_id\":\"probe\"}}",
        "GetMemorySummary" => "{\"filters\":{\"user_id\":\"probe\"}}",
        "UpdateProject" => "{\"name\":\"n\",\"custom_instructions\":\"x\",\"custom_categories\":[{\"a\":\"b\"}]}",

        // A loopback receiver, which the server refuses in Production: no probe can make it call anything.
        "CreateWebhook" or "UpdateWebhook" => "{\"url\":\"http://127.0.0.1:9/hook\",\"name\":\"n\",\"event_types\":[\"memory_add\"]}",
        _ => "{\"name\":\"probe\",\"description\":\"d\"}",
    };

    private static IEnumerable<string> FieldPaths(JsonNode node, string prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
                    yield return path;
                    if (child is not null)
                    {
                        foreach (var nested in FieldPaths(child, path))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray { Count: > 0 } array:
                foreach (var nested in FieldPaths(array[0]!, prefix + ".0"))
                {
                    yield return nested;
                }

                break;
        }
    }

    private static string Replace(JsonNode valid, string fieldPath, string rawValue)
    {
        var marker = "\u0001PROBE\u0001";
        var copy = valid.DeepClone();
        Set(copy, fieldPath.Split('.'), JsonValue.Create(marker));
        return copy.ToJsonString().Replace(JsonSerializer.Serialize(marker), rawValue, StringComparison.Ordinal);
    }

    private static byte[] InvalidUtf8At(JsonNode valid, string fieldPath)
    {
        var text = Replace(valid, fieldPath, "\"\u0001BYTES\u0001\"");
        var at = text.IndexOf("\u0001BYTES\u0001", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), 0xED, 0xA0, 0x80, 0xFF, .. Encoding.UTF8.GetBytes(text[(at + 7)..])];
    }

    private static void Set(JsonNode node, string[] path, JsonNode value)
    {
        for (var i = 0; i < path.Length - 1; i++)
        {
            node = node is JsonArray array ? array[int.Parse(path[i], System.Globalization.CultureInfo.InvariantCulture)]! : node[path[i]]!;
        }

        if (node is JsonArray last)
        {
            last[int.Parse(path[^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            node[path[^1]] = value;
        }
    }

    private static string Fill(string template, string projectId) =>
        template.Replace("{projectId}", projectId, StringComparison.Ordinal)
            .Replace("{orgId}", "org_default", StringComparison.Ordinal)
            .Replace("{memoryId}", SomeUuid, StringComparison.Ordinal)
            .Replace("{eventId}", SomeUuid, StringComparison.Ordinal)
            .Replace("{webhookId}", SomeUuid, StringComparison.Ordinal)
            .Replace("{keyId}", SomeUuid, StringComparison.Ordinal)
            .Replace("{entityType}", "user", StringComparison.Ordinal)
            .Replace("{entityName}", "probe", StringComparison.Ordinal)
            .Replace("{entityId}", "1", StringComparison.Ordinal);

    private static string FillAll(string template, string value) =>
        System.Text.RegularExpressions.Regex.Replace(template, "\\{[^}]+\\}", value.Replace("$", "$$", StringComparison.Ordinal));

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent RawContent(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Json(string value) => JsonSerializer.Serialize(value);

    private static string Deep(int levels) => new string('[', levels) + new string(']', levels);

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
