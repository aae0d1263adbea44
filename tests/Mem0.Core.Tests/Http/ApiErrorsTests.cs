using System.Text.Json;
using Mem0.Core.Common;
using Mem0.Core.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mem0.Core.Tests.Http;

public sealed class ApiErrorsTests
{
    public static TheoryData<Exception, int> Table => new()
    {
        { new ValidationException("query", "bad"), 400 },
        { new FilterValidationException("filters.x", "bad"), 400 },
        { new UnauthorizedException("no"), 401 },
        { new UnauthorizedException("off", forbidden: true), 403 },
        { new MemoryNotFoundException("gone"), 404 },
        { new ConcurrencyConflictException("changed"), 409 },
        { new PayloadTooLargeException(10), 413 },
        { new ThrottledException("slow", TimeSpan.FromSeconds(3)), 429 },
        { new ExtractionFailedException("llm"), 502 },
        { new InvalidOperationException("boom"), 500 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void StatusFor_EachDomainException_MapsToItsStatus(Exception exception, int status)
    {
        Assert.Equal(status, ApiErrors.StatusFor(exception));
    }

    [Fact]
    public async Task ToResult_Validation_NamesFieldWithDetailAndError()
    {
        var (status, body, _) = await RenderAsync(new ValidationException("filters", "'filters' is required."), ErrorKey.Error);

        Assert.Equal(400, status);
        Assert.Equal("'filters' is required.", body.GetProperty("detail").GetString());
        Assert.Equal("'filters' is required.", body.GetProperty("error").GetString());
        Assert.Equal("filters", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ToResult_MessageKey_UsesMessageInsteadOfError()
    {
        var (_, body, _) = await RenderAsync(new ValidationException("entity_type", "Invalid entity type"), ErrorKey.Message);

        Assert.Equal("Invalid entity type", body.GetProperty("message").GetString());
        Assert.False(body.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task ToResult_AddStyle_WrapsMessageInDetails()
    {
        var (_, body, _) = await RenderAsync(new ValidationException("messages", "'messages' is required."), ErrorKey.AddStyle);

        Assert.Equal("400 Bad Request", body.GetProperty("error").GetString());
        Assert.Equal("'messages' is required.", body.GetProperty("details").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ToResult_Throttled_SetsRetryAfterRoundedUp()
    {
        var (status, _, headers) = await RenderAsync(new ThrottledException("slow", TimeSpan.FromMilliseconds(2500)), ErrorKey.Error);

        Assert.Equal(429, status);
        Assert.Equal("3", headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task ToResult_Unknown_HidesDetailsAndCarriesRequestId()
    {
        var (status, body, headers) = await RenderAsync(new InvalidOperationException("secret internals"), ErrorKey.Error);

        Assert.Equal(500, status);
        Assert.DoesNotContain("secret internals", body.ToString(), StringComparison.Ordinal);
        var requestId = body.GetProperty("request_id").GetString();
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal(requestId, headers[ApiErrors.RequestIdHeader].ToString());
    }

    [Fact]
    public async Task ToResult_ExtractionFailed_DoesNotEchoTheModelError()
    {
        var (status, body, _) = await RenderAsync(new ExtractionFailedException("model said: user text here"), ErrorKey.Error);

        Assert.Equal(502, status);
        Assert.DoesNotContain("user text here", body.ToString(), StringComparison.Ordinal);
    }

    internal static async Task<(int Status, JsonElement Body, IHeaderDictionary Headers)> RenderAsync(Exception exception, ErrorKey key)
    {
        var context = NewContext();
        var result = ApiErrors.ToResult(exception, context, key);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, document.RootElement.Clone(), context.Response.Headers);
    }

    internal static DefaultHttpContext NewContext()
    {
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.None)).BuildServiceProvider();
        return new DefaultHttpContext { RequestServices = services, Response = { Body = new MemoryStream() } };
    }
}
