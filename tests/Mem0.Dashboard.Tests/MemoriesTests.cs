using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mem0.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class MemoriesTests(DashboardFixture fixture) : DashboardTestBase(fixture)
{
    [BrowserFact]
    public async Task Memories_AddedThroughTheApi_IsListedUnderItsEntityAndFoundBySearch()
    {
        var user = Unique("alice");
        await Fixture.AddMemoryAsync("Loves sushi and ramen", user);
        await Fixture.AddMemoryAsync("Works as a nurse in Lyon", user);
        var page = await SignedInPageAsync();
        var record = Watch(page);

        await page.GetByTestId($"entity-user-{user}").ClickAsync();
        var table = page.GetByTestId("memories");
        await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("2 memories");
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = "Loves sushi and ramen" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "02-memories");

        await page.GetByTestId("query").FillAsync("sushi");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("measured in this browser");
        await Expect(table.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("Loves sushi and ramen");
        await ScreenshotAsync(page, "03-search");
        Assert.Empty(record.ConsoleErrors);
    }

    [BrowserFact]
    public async Task Memories_MetadataFilter_ListsOnlyTheMatchingMemory()
    {
        var user = Unique("meta");
        await Fixture.AddMemoryAsync("Red team member", user, new { team = "red" });
        await Fixture.AddMemoryAsync("Blue team member", user, new { team = "blue" });
        var page = await SignedInPageAsync();

        await page.GetByLabel("Entity id").FillAsync(user);
        await page.GetByText("More filters").ClickAsync();
        await page.GetByLabel("Metadata key 1").FillAsync("team");
        await page.GetByLabel("Value 1").FillAsync("blue");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();

        await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("1 memory");
        await Expect(page.GetByTestId("memories")).ToContainTextAsync("Blue team member");
    }

    [BrowserFact]
    public async Task MemoryDetail_EditThenDelete_ShowsHistoryAndChangesTheStoredMemory()
    {
        var user = Unique("bob");
        var id = await Fixture.AddMemoryAsync("Likes tea", user, new { source = "test" });
        var page = await SignedInPageAsync();
        var record = Watch(page);

        await page.GotoAsync($"/dashboard/#/memory/{id}");
        await Expect(page.GetByTestId("memory-text")).ToHaveTextAsync("Likes tea");
        await Expect(page.GetByTestId("history").GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("history")).ToContainTextAsync("ADD");

        await page.GetByTestId("edit-text").FillAsync("Likes green tea");
        await page.GetByTestId("edit-metadata").FillAsync("{\"source\": \"dashboard\", \"mood\": \"calm\"}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await Expect(page.GetByTestId("memory-text")).ToHaveTextAsync("Likes green tea");
        var history = page.GetByTestId("history");
        await Expect(history.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await Expect(history.GetByRole(AriaRole.Listitem).Nth(1)).ToContainTextAsync("UPDATE");
        await Expect(history.GetByRole(AriaRole.Listitem).Nth(1)).ToContainTextAsync("Likes tea");
        await Expect(history.GetByRole(AriaRole.Listitem).Nth(1)).ToContainTextAsync("Likes green tea");
        await ScreenshotAsync(page, "04-memory-detail");

        using var client = Fixture.Client();
        using (var stored = JsonDocument.Parse(await client.GetStringAsync($"/v1/memories/{id}/")))
        {
            Assert.Equal("Likes green tea", stored.RootElement.GetProperty("memory").GetString());
            Assert.Equal("calm", stored.RootElement.GetProperty("metadata").GetProperty("mood").GetString());
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete memory" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync();
        await ScreenshotAsync(page, "05-delete-confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Memories", Level = 1 })).ToBeVisibleAsync();

        using var gone = await client.GetAsync($"/v1/memories/{id}/");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(record.Dialogs);
        Assert.Empty(record.ConsoleErrors);
    }

    [BrowserFact]
    public async Task MemoryDetail_CancelDelete_KeepsTheMemory()
    {
        var id = await Fixture.AddMemoryAsync("Keeps a diary", Unique("carol"));
        var page = await SignedInPageAsync();
        await page.GotoAsync($"/dashboard/#/memory/{id}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete memory" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        using var client = Fixture.Client();
        using var still = await client.GetAsync($"/v1/memories/{id}/");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [BrowserFact]
    public async Task DeleteEntity_TypedConfirmation_DeletesAllItsMemories()
    {
        var user = Unique("dave");
        await Fixture.AddMemoryAsync("Plays chess", user);
        await Fixture.AddMemoryAsync("Plays go", user);
        var page = await SignedInPageAsync();
        await page.GetByTestId($"entity-user-{user}").ClickAsync();
        await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("2 memories");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete all memories of this user" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var confirm = dialog.GetByRole(AriaRole.Button, new() { Name = "Delete all" });
        await Expect(confirm).ToBeDisabledAsync();
        await dialog.GetByTestId("confirm-text").FillAsync(user[..^1]);
        await Expect(confirm).ToBeDisabledAsync();
        await dialog.GetByTestId("confirm-text").FillAsync(user);
        await confirm.ClickAsync();

        await Expect(page.GetByTestId($"entity-user-{user}")).ToHaveCountAsync(0);
        using var client = Fixture.Client();
        using var response = await client.PostAsync("/v3/memories/", new StringContent(
            JsonSerializer.Serialize(new { filters = new { user_id = user } }), System.Text.Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, body.RootElement.GetProperty("count").GetInt32());
    }

    [BrowserFact]
    public async Task HostileMemoryText_RendersAsLiteralText_AndRunsNothing()
    {
        const string Hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> <b>bold</b>";
        var user = Unique("mallory");
        var id = await Fixture.AddMemoryAsync(Hostile, user, new { note = "<img src=x onerror=alert(3)>" });
        var page = await SignedInPageAsync();
        var record = Watch(page);

        await page.GetByTestId($"entity-user-{user}").ClickAsync();
        var table = page.GetByTestId("memories");
        await Expect(table.GetByText(Hostile, new() { Exact = true })).ToBeVisibleAsync();
        Assert.Equal(0, await table.Locator("img, script, b").CountAsync());

        await page.GotoAsync($"/dashboard/#/memory/{id}");
        await Expect(page.GetByTestId("memory-text")).ToHaveTextAsync(Hostile);
        await Expect(page.GetByTestId("memory-metadata")).ToContainTextAsync("<img src=x onerror=alert(3)>");
        Assert.Equal(0, await page.Locator("main img, main script, main b").CountAsync());
        await ScreenshotAsync(page, "06-hostile-text");

        Assert.Empty(record.Dialogs);
        Assert.DoesNotContain(record.ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.Ordinal));
    }
}
