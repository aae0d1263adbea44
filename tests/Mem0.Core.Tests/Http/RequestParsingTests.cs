using Mem0.Core.Common;
using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mem0.Core.Tests.Http;

public sealed class RequestParsingTests
{
    [Theory]
    [InlineData("a%252Fb", "a%2Fb")]
    [InlineData("a%2Fb", "a%2Fb")]
    [InlineData("a%2fb%2Fc", "a%2fb%2Fc")]
    [InlineData("100%25", "100%")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("plain", "plain")]
    public void DecodeExceptSlashes_DecodesAllButEncodedSlashes(string raw, string expected)
    {
        Assert.Equal(expected, RequestParsing.DecodeExceptSlashes(raw));
    }

    [Theory]
    [InlineData("/v2/entities/user/a%252Fb/", "a%2Fb", "a%252Fb")]
    [InlineData("/v2/entities/user/a%2Fb/?source=CLI", "a%2Fb", "a%2Fb")]
    [InlineData("/v2/entities/user/a%2Fb/", "a/b", "a%2Fb")]
    [InlineData("http://127.0.0.1:1/v2/entities/user/x%2541/", "x%41", "x%2541")]
    [InlineData("/v2/entities/user/other/", "missing", null)]
    [InlineData("", "a", null)]
    [InlineData(null, "a", null)]
    public void RawSegmentFor_FindsTheSegmentTheRouteValueCameFrom(string? rawTarget, string routeValue, string? expected)
    {
        Assert.Equal(expected, RequestParsing.RawSegmentFor(rawTarget, routeValue));
    }

    [Theory]
    [InlineData("/v2/entities/user/a%252Fb/", "a%2Fb", "a%2Fb")]
    [InlineData("/v2/entities/user/a%2Fb/", "a%2Fb", "a/b")]
    [InlineData("", "a%2Fb", "a/b")]
    [InlineData("", "100%", "100%")]
    public void DecodeSegment_Request_DecodesExactlyOnce(string rawTarget, string routeValue, string expected)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;

        Assert.Equal(expected, RequestParsing.DecodeSegment(context.Request, routeValue, "entity_name"));
    }

    [Fact]
    public void DecodeSegment_EmptyAfterDecoding_ThrowsNamingTheField()
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/v1/event/%20/";

        var error = Assert.Throws<ValidationException>(() => RequestParsing.DecodeSegment(context.Request, " ", "event_id"));

        Assert.Equal("event_id", error.Field);
    }
    [Theory]
    [InlineData("1e20")]
    [InlineData("-1e20")]
    [InlineData("1e400")]
    [InlineData("253402300800")]
    [InlineData("-62135596801")]
    [InlineData("\"99999999999999999999999\"")]
    public void BindTimestamp_OutOfRange_ThrowsValidationNamingTheField(string value)
    {
        var body = JsonBody.FromElement(System.Text.Json.JsonDocument.Parse("{\"timestamp\":" + value + "}").RootElement);

        Assert.Equal("timestamp", Assert.Throws<ValidationException>(() => body.Bind<UpdateRequestBody>()).Field);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1700000000.5", 1700000000L)]
    [InlineData("253402300798", 253402300798L)]
    [InlineData("-62135596800", -62135596800L)]
    public void BindTimestamp_InRange_IsThatTime(string value, long seconds)
    {
        var body = JsonBody.FromElement(System.Text.Json.JsonDocument.Parse("{\"timestamp\":" + value + "}").RootElement);

        Assert.Equal(seconds, body.Bind<UpdateRequestBody>().Timestamp!.Value.ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"text\":\"b\"}]}]}", "a\nb")]
    [InlineData("{\"messages\":[{\"role\":\"ASSISTANT\",\"content\":{\"type\":\"text\",\"text\":\"c\"}}]}", "c")]
    public void BindMessages_TextParts_AreJoined(string json, string expected)
    {
        var body = JsonBody.FromElement(System.Text.Json.JsonDocument.Parse(json).RootElement);

        Assert.Equal(expected, Assert.Single(body.Bind<AddRequestBody>().Messages!).Content);
    }
}
