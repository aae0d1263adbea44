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
    public async Task Getters_WrongType_NameTheField()
    {
        var body = await JsonBody.ReadAsync(Request("{\"top_k\":\"ten\",\"metadata\":[1],\"infer\":\"maybe\"}"));

        Assert.Equal("top_k", Assert.Throws<ValidationException>(() => body.GetInt("top_k")).Field);
        Assert.Equal("metadata", Assert.Throws<ValidationException>(() => body.GetObject("metadata")).Field);
        Assert.Equal("infer", Assert.Throws<ValidationException>(() => body.GetBool("infer")).Field);
    }

    [Fact]
    public async Task Getters_NumericStringsAndNulls_AreLenient()
    {
        var body = await JsonBody.ReadAsync(Request("{\"top_k\":\"5\",\"threshold\":\"0.5\",\"infer\":\"false\",\"metadata\":null}"));

        Assert.Equal(5, body.GetInt("top_k"));
        Assert.Equal(0.5, body.GetDouble("threshold"));
        Assert.False(body.GetBool("infer"));
        Assert.Null(body.GetObject("metadata"));
        Assert.True(body.Has("metadata"));
        Assert.False(body.HasValue("metadata"));
    }

    private static HttpRequest Request(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = "application/json";
        return context.Request;
    }
}
