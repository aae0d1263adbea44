using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mem0.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class SignInTests(DashboardFixture fixture) : DashboardTestBase(fixture)
{
    [BrowserFact]
    public async Task SignIn_ApiKey_ShowsMemoriesAndKeepsTheKeyOutOfUrlAndLocalStorage()
    {
        var page = await Fixture.NewPageAsync();
        var record = Watch(page);
        await page.GotoAsync("/dashboard/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "01-sign-in");

        await SignInAsync(page, Fixture.ApiKey);

        Assert.DoesNotContain(Fixture.ApiKey, page.Url, StringComparison.Ordinal);
        Assert.Equal(Fixture.ApiKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('mem0.dashboard.key')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length - (localStorage.getItem('mem0.dashboard.theme') === null ? 0 : 1)"));
        await Expect(page.Locator("#nav").GetByRole(AriaRole.Link, new() { Name = "Activity", Exact = true })).ToBeVisibleAsync();
        await Expect(page.Locator("#nav").GetByRole(AriaRole.Link, new() { Name = "Projects & keys", Exact = true })).ToHaveCountAsync(0);
        Assert.Empty(record.ConsoleErrors);
    }

    [BrowserFact]
    public async Task SignIn_WrongKey_ShowsTheErrorAndStaysOnSignIn()
    {
        var page = await Fixture.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        await page.GetByLabel("API key or admin key").FillAsync("not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("neither a valid API key nor the admin key");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('mem0.dashboard.key')"));
    }

    [BrowserFact]
    public async Task SignIn_KeyboardOnly_ReachesTheMemoriesPage()
    {
        var page = await Fixture.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();

        // The key field has the focus on load: type and press Enter, nothing else.
        Assert.Equal("api-key", await page.EvaluateAsync<string>("() => document.activeElement.dataset.testid"));
        await page.Keyboard.TypeAsync(Fixture.ApiKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Memories", Level = 1 })).ToBeVisibleAsync();

        // After a reload (still signed in: session storage), the first Tab stop is the skip link, which moves focus to the page.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Memories", Level = 1 })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.EvaluateAsync("() => { window.hashChanges = 0; window.addEventListener('hashchange', () => window.hashChanges++); }");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#main")).ToBeFocusedAsync();

        // The skip link is not a route: the page is not re-rendered and focus stays on it.
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.hashChanges"));
        Assert.Equal("#/memories", await page.EvaluateAsync<string>("() => window.location.hash"));
    }

    [BrowserFact]
    public async Task SignIn_AdminKey_ShowsOnlyTheAdminView()
    {
        var page = await Fixture.NewPageAsync();
        await SignInAsync(page, DashboardFixture.AdminKey, "Projects and API keys");

        await Expect(page.Locator("#nav").GetByRole(AriaRole.Link, new() { Name = "Memories", Exact = true })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Default Project" })).ToBeVisibleAsync();
    }

    [BrowserFact]
    public async Task SignOut_ForgetsTheKey()
    {
        var page = await SignedInPageAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('mem0.dashboard.key')"));
    }
}
