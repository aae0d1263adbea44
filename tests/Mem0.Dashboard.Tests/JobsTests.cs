using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mem0.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class JobsTests(DashboardFixture fixture) : DashboardTestBase(fixture)
{
    [BrowserFact]
    public async Task Import_JsonFile_ProgressReaches100AndFailedItemsAreListed()
    {
        var user = Unique("importer");
        var items = Enumerable.Range(0, 600).Select(i => (object)new { memory = $"Imported fact number {i}", user_id = user }).ToList();
        items.Insert(7, new { memory = "", user_id = user });
        var page = await SignedInPageAsync();
        var record = Watch(page);
        await NavigateAsync(page, "Import");

        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "memories.json",
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(items)),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

        var status = page.GetByTestId("import-status");
        await Expect(status.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Import of 601 items");
        await Expect(status.GetByTestId("progress-text")).ToContainTextAsync("100 %");
        await Expect(status).ToContainTextAsync("SUCCEEDED");
        await Expect(status.GetByTestId("progress-text")).ToContainTextAsync("601 / 601, 1 failed");
        Assert.Equal("100", await status.GetByTestId("progress").EvaluateAsync<string>("p => String(p.value)"));
        var failures = status.GetByTestId("failures");
        await Expect(failures.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Expect(failures).ToContainTextAsync("7");
        await Expect(failures).ToContainTextAsync("non-empty");
        await ScreenshotAsync(page, "07-import");

        await NavigateAsync(page, "Activity");
        var importRow = page.GetByTestId("events").GetByRole(AriaRole.Row).Filter(new() { HasText = "IMPORT" }).First;
        await Expect(importRow).ToContainTextAsync("SUCCEEDED");
        await Expect(importRow.GetByTestId("progress-text")).ToContainTextAsync("100 %");
        await importRow.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "IMPORT · SUCCEEDED" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "08-activity");
        Assert.Empty(record.ConsoleErrors);
    }

    [BrowserFact]
    public async Task Import_CliFileWithOneItemAndUserOverride_ImportsItForThatUser()
    {
        var user = Unique("cli-user");
        var page = await SignedInPageAsync();
        await NavigateAsync(page, "Import");

        // The Mem0 CLI accepts a single object as well as an array, and --user-id overrides the file's ids.
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload
        {
            Name = "one.json",
            MimeType = "application/json",
            Buffer = Encoding.UTF8.GetBytes("{\"text\": \"Speaks Portuguese\", \"user_id\": \"someone-else\", \"metadata\": {\"src\": \"cli\"}}"),
        });
        await page.GetByTestId("import-user").FillAsync(user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

        var status = page.GetByTestId("import-status");
        await Expect(status.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Import of 1 item");
        await Expect(status).ToContainTextAsync("SUCCEEDED");
        using var client = Fixture.Client();
        using var response = await client.PostAsync("/v3/memories/", new StringContent(
            JsonSerializer.Serialize(new { filters = new { user_id = user } }), Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var memory = Assert.Single(body.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("Speaks Portuguese", memory.GetProperty("memory").GetString());
        Assert.Equal("cli", memory.GetProperty("metadata").GetProperty("src").GetString());
    }

    [BrowserFact]
    public async Task Activity_AsyncAdd_ShowsTheJobWithItsStatusAndLatency()
    {
        using var client = Fixture.Client();
        using var response = await client.PostAsync("/v3/memories/add/", new StringContent(
            JsonSerializer.Serialize(new { messages = new[] { new { role = "user", content = "I moved to Oslo last spring" } }, user_id = Unique("erin") }),
            Encoding.UTF8, "application/json"));
        using var queued = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var eventId = queued.RootElement.GetProperty("event_id").GetString()!;
        var page = await SignedInPageAsync();

        await NavigateAsync(page, "Activity");
        var row = page.Locator($"tr[data-event-id='{eventId}']");
        await Expect(row).ToContainTextAsync("ADD");
        await Expect(row.GetByTestId("status")).ToHaveTextAsync("SUCCEEDED");
        await Expect(row).ToContainTextAsync(" ms");
    }
}
