using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mem0.Dashboard.Tests;

/// <summary>
/// axe-core's WCAG 2 A/AA rules (contrast, labels, names, landmarks, ARIA) over every page, in the light and the dark
/// theme. A violation fails the test with the rule, the help text and the offending elements.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class AccessibilityTests(DashboardFixture fixture) : DashboardTestBase(fixture)
{
    private static readonly AxeRunOptions s_wcagAA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    [BrowserTheory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task EveryPage_HasNoWcagAAViolations(ColorScheme scheme)
    {
        var user = Unique("axe");
        var id = await Fixture.AddMemoryAsync("Prefers aisle seats", user, new { source = "axe" });
        var page = await Fixture.NewPageAsync(colorScheme: scheme);
        var problems = new List<string>();

        await page.GotoAsync("/dashboard/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await CheckAsync(page, "sign-in", problems);

        await SignInAsync(page, Fixture.ApiKey);
        await page.GetByTestId($"entity-user-{user}").ClickAsync();
        await Expect(page.GetByTestId("result-count")).ToHaveTextAsync("1 memory");
        await CheckAsync(page, "memories", problems);

        foreach (var (hash, heading) in new[]
        {
            ($"#/memory/{id}", "Memory"), ("#/activity", "Activity"), ("#/import", "Import"), ("#/insight", "Insight"),
            ("#/webhooks", "Webhooks"), ("#/project", "Project Default Project"),
        })
        {
            await page.GotoAsync("/dashboard/" + hash);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await CheckAsync(page, hash, problems);
        }

        var admin = await Fixture.NewPageAsync(colorScheme: scheme);
        await SignInAsync(admin, DashboardFixture.AdminKey, "Projects and API keys");
        await Expect(admin.GetByTestId("api-keys")).ToBeVisibleAsync();
        await CheckAsync(admin, "admin", problems);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static async Task CheckAsync(IPage page, string name, List<string> problems)
    {
        var result = await page.RunAxe(s_wcagAA);
        Assert.NotEmpty(result.Passes);
        foreach (var violation in result.Violations)
        {
            var nodes = string.Join(" | ", violation.Nodes.Take(3).Select(n => n.Html));
            problems.Add($"{name}: {violation.Id} ({violation.Help}): {nodes}");
        }
    }
}
