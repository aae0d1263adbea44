using System.Text;
using Mem0.Core.Common;
using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;

namespace Mem0.Core.Tests.Http;

public sealed class JsonBodyTests
{
    [Fact]
    public async Task ReadAsync_EmptyBody_IsAnEmptyObject()
    {
        var body = await JsonBody.ReadAsync(Request(""));

        Assert.False(body.Has("anything"));
    }

    [Fact]
    public async Task ReadAsync_BadJson_ThrowsValidationNamingBody()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => JsonBody.ReadAsync(Request("{\"a\":")));

        Assert.Equal("body", error.Field);
        Assert.StartsWith("Request body is not valid JSON", error.Message);
    }

    [Fact]
    public async Task ReadAsync_OverLimitWithoutContentLength_ThrowsPayloadTooLarge()
    {
        var request = Request("{\"a\":\"" + new string('x', 100) + "\"}");
        request.ContentLength = null;

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => JsonBody.ReadAsync(request, maxBytes: 50));
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthOverLimit_ThrowsBeforeReading()
    {
        var request = Request("{}");
        request.ContentLength = 1_000_000;

        await Assert.ThrowsAsync<PayloadTooLargeException>(() => JsonBody.ReadAsync(request, maxBytes: 50));
    }

    [Fact]
    public async Task WireValues_WrongType_NameTheField()
    {
        var body = await JsonBody.ReadAsync(Request("{\"top_k\":\"ten\",\"metadata\":[1],\"infer\":\"maybe\"}"));

        Assert.Equal("top_k", Assert.Throws<ValidationException>(() => WireValues.LenientInt(body.Get("top_k")!.Value, "top_k")).Field);
        Assert.Equal("metadata", Assert.Throws<ValidationException>(() => WireValues.Object(body.Get("metadata")!.Value, "metadata")).Field);
        Assert.Equal("infer", Assert.Throws<ValidationException>(() => WireValues.LenientBool(body.Get("infer")!.Value, "infer")).Field);
    }

    [Fact]
    public async Task WireValues_NumericStringsAreLenient_AndANullIsPresentWithoutAValue()
    {
        var body = await JsonBody.ReadAsync(Request("{\"top_k\":\"5\",\"threshold\":\"0.5\",\"infer\":\"false\",\"metadata\":null}"));

        Assert.Equal(5, WireValues.LenientInt(body.Get("top_k")!.Value, "top_k"));
        Assert.Equal(0.5, WireValues.LenientDouble(body.Get("threshold")!.Value, "threshold"));
        Assert.False(WireValues.LenientBool(body.Get("infer")!.Value, "infer"));
        Assert.Null(body.Get("metadata"));
        Assert.True(body.Has("metadata"));
        Assert.False(body.HasValue("metadata"));
    }

    [Theory]
    [InlineData("{\"a\":{\"b\":[\"ok\",\"\\ud800\"]}}", "a.b[1]")]
    [InlineData("{\"m\":[{\"x\":1},{\"c\":\"\\udfff tail\"}]}", "m[1].c")]
    [InlineData("{\"meta\":{\"bad\\ud800key\":1}}", "meta")]
    [InlineData("{\"top\\ud800\":1}", "body")]
    public async Task ReadAsync_LoneSurrogate_ThrowsValidationNamingThePath(string json, string field)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => JsonBody.ReadAsync(Request(json)));

        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8Bytes_ThrowsValidationNamingTheField()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("{\"ok\":\"fine\",\"query\":\"a"), 0xFF, 0xFE, .. Encoding.UTF8.GetBytes("\"}")];

        var error = await Assert.ThrowsAsync<ValidationException>(() => JsonBody.ReadAsync(Request(bytes)));

        Assert.Equal("query", error.Field);
    }

    [Fact]
    public async Task ReadAsync_NestedBeyondTheLimit_NamesTheTopLevelField()
    {
        var deep = new string('[', 5000) + new string(']', 5000);

        var error = await Assert.ThrowsAsync<ValidationException>(() => JsonBody.ReadAsync(Request("{\"x\":1,\"filters\":" + deep + "}")));

        Assert.Equal("filters", error.Field);
    }

    [Fact]
    public async Task ReadAsync_NestedToTheLimit_IsAccepted()
    {
        var levels = RequestLimits.MaxBodyDepth - 1;
        var body = await JsonBody.ReadAsync(Request("{\"m\":" + new string('[', levels) + new string(']', levels) + "}"));

        Assert.True(body.Has("m"));
    }

    private static HttpRequest Request(string json) => Request(Encoding.UTF8.GetBytes(json));

    private static HttpRequest Request(byte[] bytes)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/json";
        return context.Request;
    }
}
