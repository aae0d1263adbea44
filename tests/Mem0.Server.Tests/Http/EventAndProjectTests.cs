using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Core.Events;
using Microsoft.Extensions.DependencyInjection;
using static Mem0.Server.Tests.ServerFixture;

namespace Mem0.Server.Tests.Http;

[Collection(ServerCollection.Name)]
public sealed class EventAndProjectTests(ServerFixture server)
{
    [Fact]
    public async Task GetEvent_OwnProject_ReturnsTheEventShape()
    {
        var projectId = await PingProjectAsync(server.Client());
        var id = await SeedEventAsync(projectId, "evt-" + Guid.NewGuid().ToString("N"));
        using var client = server.Client();

        var response = await client.GetAsync($"/v1/event/{id}/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal("ADD", body.GetProperty("event_type").GetString());
        Assert.Equal("SUCCEEDED", body.GetProperty("status").GetString());
        Shape.HasKind(body, "results", JsonValueKind.Array);
        Assert.Equal("alice", body.GetProperty("results")[0].GetProperty("user_id").GetString());
        Assert.Equal("likes tea", body.GetProperty("results")[0].GetProperty("data").GetProperty("memory").GetString());
        Shape.HasKind(body, "latency", JsonValueKind.Number);
        Shape.HasString(body, "created_at");
        Shape.HasString(body, "updated_at");
        Shape.HasString(body, "completed_at");
        Shape.IsSnakeCase(body);
    }

    [Fact]
    public async Task GetEvent_PercentEncodedSlashInId_IsDecodedNotSplit()
    {
        var projectId = await PingProjectAsync(server.Client());
        var id = await SeedEventAsync(projectId, "a/b-" + Guid.NewGuid().ToString("N"));
        using var client = server.Client();

        var response = await client.GetAsync($"/v1/event/{Uri.EscapeDataString(id)}/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task GetEvent_OtherProjectsEvent_Returns404()
    {
        var (otherProject, _) = await server.CreateProjectAsync("events-other");
        var id = await SeedEventAsync(otherProject, "evt-" + Guid.NewGuid().ToString("N"));
        using var client = server.Client();

        var response = await client.GetAsync($"/v1/event/{id}/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Event not found or you don't have permission to access it.", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ListEvents_SeesOnlyOwnProject()
    {
        var (projectA, keyA) = await server.CreateProjectAsync("events-a");
        var (projectB, _) = await server.CreateProjectAsync("events-b");
        var mine = await SeedEventAsync(projectA, "evt-" + Guid.NewGuid().ToString("N"));
        var theirs = await SeedEventAsync(projectB, "evt-" + Guid.NewGuid().ToString("N"));
        using var client = server.Client(keyA);

        var body = await ReadJsonAsync(await client.GetAsync("/v1/events/"));

        Shape.IsEnvelope(body);
        var ids = body.GetProperty("results").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Contains(mine, ids);
        Assert.DoesNotContain(theirs, ids);
        Assert.Equal(1, body.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task ListEvents_PageSize_LinksNextAndPrevious()
    {
        var (projectId, key) = await server.CreateProjectAsync("events-paging");
        for (var i = 0; i < 3; i++)
        {
            await SeedEventAsync(projectId, $"evt-{i}-{Guid.NewGuid():N}");
        }

        using var client = server.Client(key);
        var first = await ReadJsonAsync(await client.GetAsync("/v1/events/?page=1&page_size=2"));
        var second = await ReadJsonAsync(await client.GetAsync(first.GetProperty("next").GetString()));

        Assert.Equal(3, first.GetProperty("count").GetInt32());
        Assert.Equal(2, first.GetProperty("results").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("previous").ValueKind);
        Assert.Single(second.GetProperty("results").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);
        Assert.StartsWith(server.BaseAddress.ToString().TrimEnd('/'), second.GetProperty("previous").GetString());
    }

    [Fact]
    public async Task ProjectSettings_PatchThenGet_ReturnsCustomInstructionsAndCategoriesVerbatim()
    {
        var (projectId, key) = await server.CreateProjectAsync("settings");
        using var client = server.Client(key);
        var ping = await ReadJsonAsync(await client.GetAsync("/v1/ping/"));
        var path = $"/api/v1/orgs/organizations/{ping.GetProperty("org_id").GetString()}/projects/{projectId}/";

        var patch = await client.PatchAsync(path, JsonContent.Create(new
        {
            custom_instructions = "Only remember food preferences.",
            custom_categories = new object[] { new Dictionary<string, string> { ["food"] = "What the user eats" } },
            org_id = "ignored",
            project_id = "ignored",
        }));
        var patchBody = await ReadJsonAsync(patch);
        var project = await ReadJsonAsync(await client.GetAsync(path + "?fields=custom_instructions&fields=custom_categories"));

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Shape.HasString(patchBody, "message");
        Assert.Equal("Only remember food preferences.", project.GetProperty("custom_instructions").GetString());
        Assert.Equal("What the user eats", project.GetProperty("custom_categories")[0].GetProperty("food").GetString());
        Assert.Equal(projectId, project.GetProperty("project_id").GetString());
        Shape.HasKind(project, "members", JsonValueKind.Array);
    }

    [Fact]
    public async Task ProjectSettings_OtherProjectsPath_Returns404WithMessage()
    {
        var (otherProject, _) = await server.CreateProjectAsync("settings-other");
        using var client = server.Client();
        var ping = await ReadJsonAsync(await client.GetAsync("/v1/ping/"));

        var response = await client.GetAsync($"/api/v1/orgs/organizations/{ping.GetProperty("org_id").GetString()}/projects/{otherProject}/");
        var body = await ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Organization or project not found", body.GetProperty("message").GetString());
    }

    private static async Task<string> PingProjectAsync(HttpClient client)
    {
        using (client)
        {
            var ping = await ReadJsonAsync(await client.GetAsync("/v1/ping/"));
            return ping.GetProperty("project_id").GetString()!;
        }
    }

    private async Task<string> SeedEventAsync(string projectId, string id)
    {
        var store = server.Services.GetRequiredService<IEventStore>();
        var now = DateTimeOffset.UtcNow;
        await store.CreateAsync(new MemoryEvent
        {
            Id = id,
            ProjectId = projectId,
            EventType = "ADD",
            Status = EventStatus.Succeeded,
            Results = JsonSerializer.SerializeToElement(new[]
            {
                new { id = "m1", @event = "ADD", user_id = "alice", data = new { memory = "likes tea" } },
            }),
            CreatedAt = now,
            UpdatedAt = now,
            StartedAt = now,
            CompletedAt = now.AddMilliseconds(12),
        });
        return id;
    }
}
