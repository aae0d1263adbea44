using System.Text.Json;

namespace Mem0.Server.Tests.Http;

/// <summary>Assertions that pin the JSON shapes the official clients read.</summary>
internal static class Shape
{
    public static void HasString(JsonElement obj, string key, bool nonEmpty = true)
    {
        Assert.True(obj.TryGetProperty(key, out var value), $"missing '{key}' in {obj}");
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        if (nonEmpty)
        {
            Assert.False(string.IsNullOrEmpty(value.GetString()), $"'{key}' is empty in {obj}");
        }
    }

    public static void HasKind(JsonElement obj, string key, params JsonValueKind[] kinds)
    {
        Assert.True(obj.TryGetProperty(key, out var value), $"missing '{key}' in {obj}");
        Assert.Contains(value.ValueKind, kinds);
    }

    public static void IsEnvelope(JsonElement obj)
    {
        HasKind(obj, "count", JsonValueKind.Number);
        HasKind(obj, "next", JsonValueKind.String, JsonValueKind.Null);
        HasKind(obj, "previous", JsonValueKind.String, JsonValueKind.Null);
        HasKind(obj, "results", JsonValueKind.Array);
    }

    /// <summary>An error body: <c>detail</c> always, plus the key the platform uses for the endpoint.</summary>
    public static void IsError(JsonElement obj, string platformKey)
    {
        HasString(obj, "detail");
        Assert.True(obj.TryGetProperty(platformKey, out _), $"missing '{platformKey}' in {obj}");
    }

    /// <summary>Every key snake_case (lower-case letters, digits, underscores), recursively, except inside metadata.</summary>
    public static void IsSnakeCase(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.Matches("^[a-z][a-z0-9_]*$", property.Name);
                    if (property.Name is not ("metadata" or "payload"))
                    {
                        IsSnakeCase(property.Value);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    IsSnakeCase(item);
                }

                break;
        }
    }
}
