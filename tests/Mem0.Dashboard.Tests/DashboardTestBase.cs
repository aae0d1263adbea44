using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mem0.Dashboard.Tests;

/// <summary>Helpers the browser tests share: sign-in, screenshots, and a record of console errors and dialogs.</summary>
public abstract class DashboardTestBase(DashboardFixture fixture)
{
    protected DashboardFixture Fixture { get; } = fixture;

    /// <summary>Console errors (a CSP violation is one) and JavaScript dialogs (alert/confirm) seen by each page.</summary>
    protected static PageRecord Watch(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var record = new PageRecord();
        page.Console += (_, message) =>
        {
            // A 4xx answer is logged by the browser as "Failed to load resource"; that is the API speaking, not a page error.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                record.ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => record.ConsoleErrors.Add(error);
        page.Dialog += async (_, dialog) =>
        {
            record.Dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        return record;
    }

    protected async Task<IPage> SignedInPageAsync(string? key = null, int width = 1280, int height = 900)
    {
        var page = await Fixture.NewPageAsync(width, height);
        await SignInAsync(page, key ?? Fixture.ApiKey);
        return page;
    }

    protected static async Task SignInAsync(IPage page, string key, string expectedHeading = "Memories")
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/dashboard/");
        await page.GetByLabel("API key or admin key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = expectedHeading, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Follows a link of the main navigation (memory texts are links too, so the nav is named).</summary>
    protected static Task NavigateAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Locator("#nav").GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
    }

    protected static Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(DashboardFixture.ScreenshotDirectory, name + ".png"),
            FullPage = true,
        });
    }

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}

public sealed class PageRecord
{
    public List<string> ConsoleErrors { get; } = [];

    public List<string> Dialogs { get; } = [];
}
