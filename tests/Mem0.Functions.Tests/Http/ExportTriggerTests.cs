using System.Text.Json;
using Mem0.Core.Exports;
using Mem0.Core.Http;
using Mem0.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Functions.Tests.Http;

/// <summary>The export, summary and entity triggers as the worker invokes them (middleware first, then the trigger).</summary>
public sealed class ExportTriggerTests : IAsyncLifetime
{
    /// <summary>The triggers that schedule jobs take the invocation's Durable client; the test host runs jobs inline, so it is never called.</summary>
    private static readonly DurableTaskClient Durable = new Moq.Mock<DurableTaskClient>("test").Object;

    private FunctionsTestHost _host = null!;

    public async Task InitializeAsync() => _host = await FunctionsTestHost.StartAsync();

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    private ExportFunctions Exports => new(_host.Services.GetRequiredService<MemoryExportService>());

    private async Task<(int Status, JsonElement Body)> InvokeAsync(string functionName, HttpContext context, Func<HttpRequest, Task<IResult>> trigger)
    {
        var middleware = new Mem0HttpMiddleware(_host.Services.GetRequiredService<ApiKeyAuthenticator>());
        var rejection = await middleware.AuthenticateAsync(functionName, context);
        return await FunctionsTestHost.RenderAsync(context, rejection ?? await trigger(context.Request));
    }

    private async Task AddAsync(string user, string text)
    {
        var memories = new MemoryFunctions(_host.Api);
        var context = _host.Request("POST", "/v3/memories/add/", JsonSerializer.Serialize(new { messages = text, user_id = user, infer = false }));
        var (status, _) = await InvokeAsync(nameof(MemoryFunctions.AddMemories), context, r => memories.AddMemories(r, Durable));
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task CreateThenGetMemoryExport_NoLlm_RoundTripsThroughTriggers()
    {
        await AddAsync("alice", "likes green tea");
        var create = _host.Request("POST", "/v1/exports/", """{"schema":{"type":"object"},"filters":{"AND":[{"user_id":"alice"}]}}""");

        var (createStatus, created) = await InvokeAsync(nameof(ExportFunctions.CreateMemoryExport), create, Exports.CreateMemoryExport);
        var get = _host.Request("POST", "/v1/exports/get/", JsonSerializer.Serialize(new { memory_export_id = created.GetProperty("id").GetString() }));
        var (getStatus, export) = await InvokeAsync(nameof(ExportFunctions.GetMemoryExport), get, Exports.GetMemoryExport);

        Assert.Equal(201, createStatus);
        Assert.Equal(200, getStatus);
        Assert.Equal(["likes green tea"], export.GetProperty("memories").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task CreateMemoryExport_NoKey_Returns401FromMiddleware()
    {
        var context = _host.Request("POST", "/v1/exports/", """{"schema":{"type":"object"}}""", authorized: false);

        var (status, _) = await InvokeAsync(nameof(ExportFunctions.CreateMemoryExport), context, Exports.CreateMemoryExport);

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task GetMemorySummary_NoLlm_ReturnsCategoryGroups()
    {
        await AddAsync("bob", "plays chess");
        var context = _host.Request("POST", "/v1/summary/", """{"filters":{"user_id":"bob"}}""");

        var (status, body) = await InvokeAsync(nameof(ExportFunctions.GetMemorySummary), context, Exports.GetMemorySummary);

        Assert.Equal(200, status);
        var group = Assert.Single(body.EnumerateArray());
        Assert.Equal(MemoryExportService.NoLlmSummaryNote, group.GetProperty("note").GetString());
    }

    /// <summary>
    /// The route value as the host hands it over and the raw target the worker's request carries. Kestrel's rule
    /// (all but %2F decoded), a host that decodes fully, and no raw target at all must each yield the name decoded once.
    /// </summary>
    [Theory]
    [InlineData("/v2/entities/user/a%252Fb/", "a%2Fb", "a%2Fb")]
    [InlineData("/v2/entities/user/a%252Fb/", "a%252Fb", "a%2Fb")]
    [InlineData("/v2/entities/user/a%2Fb/", "a%2Fb", "a/b")]
    [InlineData("/v2/entities/user/a%2Fb/", "a/b", "a/b")]
    [InlineData("", "a%2Fb", "a/b")]
    public async Task DeleteEntity_EncodedName_DeletesTheNameDecodedOnce(string rawTarget, string routeValue, string deleted)
    {
        await AddAsync("a%2Fb", "literal percent name");
        await AddAsync("a/b", "slash name");
        var entities = new EntityFunctions(_host.Api);
        var context = _host.Request("DELETE", "/v2/entities/user/x/");
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;

        var (status, _) = await InvokeAsync(nameof(EntityFunctions.DeleteEntity), context, r => entities.DeleteEntity(r, "user", routeValue, Durable));
        var remaining = await _host.Api.Memories.ListEntitiesAsync(FunctionsTestHost.ProjectId);

        Assert.Equal(200, status);
        Assert.DoesNotContain(remaining, e => e.Name == deleted);
        Assert.Single(remaining);
    }
}
