using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mem0.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class AdminAndSettingsTests(DashboardFixture fixture) : DashboardTestBase(fixture)
{
    [BrowserFact]
    public async Task Admin_CreateKey_ShowsItOnceAndItWorks_ThenRevokeStopsIt()
    {
        var page = await Fixture.NewPageAsync();
        var record = Watch(page);
        await SignInAsync(page, DashboardFixture.AdminKey, "Projects and API keys");
        var name = Unique("ci-key");

        await page.GetByTestId("key-name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var secret = await page.GetByTestId("secret").TextContentAsync();
        Assert.False(string.IsNullOrWhiteSpace(secret));
        await ScreenshotAsync(page, "09-admin-keys");

        using (var client = Fixture.Client(secret))
        {
            using var ping = await client.GetAsync("/v1/ping/");
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        }

        var row = page.GetByTestId("api-keys").GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(row).ToContainTextAsync("ACTIVE");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke key {name}" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(row).ToContainTextAsync("REVOKED");

        // The secret is not shown again after the list reloads.
        await Expect(page.GetByTestId("secret")).ToHaveCountAsync(0);
        using (var client = Fixture.Client(secret))
        {
            using var ping = await client.GetAsync("/v1/ping/");
            Assert.Equal(HttpStatusCode.Unauthorized, ping.StatusCode);
        }

        Assert.Empty(record.ConsoleErrors);
    }

    [BrowserFact]
    public async Task Webhooks_CreateEditDisableDelete_InAProjectWithoutMemories()
    {
        // A project of its own with no memories: the webhook's documentation address (TEST-NET-3) is never called.
        var key = await CreateProjectKeyAsync(Unique("hooks"));
        var page = await SignedInPageAsync(key);
        var record = Watch(page);
        await NavigateAsync(page, "Webhooks");

        await page.GetByTestId("webhook-name").FillAsync("crm sync");
        await page.GetByTestId("webhook-url").FillAsync("https://203.0.113.10/hook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create webhook" }).ClickAsync();
        await Expect(page.GetByTestId("secret")).ToBeVisibleAsync();
        var table = page.GetByTestId("webhooks");
        await Expect(table).ToContainTextAsync("crm sync");
        await Expect(table).ToContainTextAsync("ACTIVE");
        await ScreenshotAsync(page, "10-webhooks");

        await table.GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
        await page.GetByTestId("webhook-name").FillAsync("crm sync v2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(table).ToContainTextAsync("crm sync v2");

        await table.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(table).ToContainTextAsync("DISABLED");

        await table.GetByRole(AriaRole.Button, new() { Name = "Deliveries" }).ClickAsync();
        await Expect(page.GetByText("No deliveries recorded yet")).ToBeVisibleAsync();

        await table.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.GetByText("No webhooks yet.")).ToBeVisibleAsync();
        Assert.Empty(record.ConsoleErrors);
    }

    [BrowserFact]
    public async Task Project_SaveInstructionsAndCategories_AreStoredAndRuntimeIsShown()
    {
        var key = await CreateProjectKeyAsync(Unique("settings"));
        var page = await SignedInPageAsync(key);
        await NavigateAsync(page, "Project");

        await Expect(page.GetByTestId("runtime")).ToContainTextAsync("heuristic");
        await page.GetByTestId("custom-instructions").FillAsync("Only keep food preferences.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add category" }).ClickAsync();
        await page.GetByLabel("Category 1", new() { Exact = true }).FillAsync("cuisine");
        await page.GetByLabel("Description 1", new() { Exact = true }).FillAsync("Dishes and cuisines");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
        await Expect(page.Locator("#toast")).ToHaveTextAsync("Project settings saved.");
        await ScreenshotAsync(page, "11-project");

        using var client = Fixture.Client(key);
        using var ping = JsonDocument.Parse(await client.GetStringAsync("/v1/ping/"));
        var org = ping.RootElement.GetProperty("org_id").GetString();
        var project = ping.RootElement.GetProperty("project_id").GetString();
        using var settings = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/orgs/organizations/{org}/projects/{project}/"));
        Assert.Equal("Only keep food preferences.", settings.RootElement.GetProperty("custom_instructions").GetString());
        Assert.Equal("Dishes and cuisines", settings.RootElement.GetProperty("custom_categories")[0].GetProperty("cuisine").GetString());
    }

    [BrowserFact]
    public async Task RevokedKey_WhileSignedIn_SendsTheUserBackToSignIn()
    {
        var key = await CreateProjectKeyAsync(Unique("revoked"));
        var page = await SignedInPageAsync(key);
        using (var client = Fixture.Client(key))
        using (var ping = JsonDocument.Parse(await client.GetStringAsync("/v1/ping/")))
        using (var admin = Fixture.Client(DashboardFixture.AdminKey, "Admin"))
        {
            var projectId = ping.RootElement.GetProperty("project_id").GetString();
            using var keys = JsonDocument.Parse(await admin.GetStringAsync($"/v1/admin/projects/{projectId}/api-keys/"));
            var keyId = keys.RootElement[0].GetProperty("id").GetString();
            using var revoked = await admin.DeleteAsync($"/v1/admin/projects/{projectId}/api-keys/{keyId}/");
            revoked.EnsureSuccessStatusCode();
        }

        await NavigateAsync(page, "Activity");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('mem0.dashboard.key')"));
    }

    private async Task<string> CreateProjectKeyAsync(string name)
    {
        using var admin = Fixture.Client(DashboardFixture.AdminKey, "Admin");
        using var created = await admin.PostAsJsonAsync("/v1/admin/projects/", new { name });
        created.EnsureSuccessStatusCode();
        using var project = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var projectId = project.RootElement.GetProperty("project_id").GetString();
        using var keyResponse = await admin.PostAsJsonAsync($"/v1/admin/projects/{projectId}/api-keys/", new { name = "dashboard test" });
        keyResponse.EnsureSuccessStatusCode();
        using var key = JsonDocument.Parse(await keyResponse.Content.ReadAsStringAsync());
        return key.RootElement.GetProperty("key").GetString()!;
    }
}
