using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mem0.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class LayoutAndSecurityTests(DashboardFixture fixture) : DashboardTestBase(fixture)
{
    private const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    [Theory]
    [InlineData("/dashboard/", HttpStatusCode.OK, "text/html")]
    [InlineData("/dashboard/index.html", HttpStatusCode.OK, "text/html")]
    [InlineData("/dashboard/app.js", HttpStatusCode.OK, "text/javascript")]
    [InlineData("/dashboard/pages/memories.js", HttpStatusCode.OK, "text/javascript")]
    [InlineData("/dashboard/app.css", HttpStatusCode.OK, "text/css")]
    [InlineData("/dashboard/nope.js", HttpStatusCode.NotFound, "text/plain")]
    [InlineData("/dashboard/memories", HttpStatusCode.NotFound, "text/plain")]
    [InlineData("/dashboard", HttpStatusCode.MovedPermanently, null)]
    public async Task DashboardResponses_CarryTheSecurityHeaders(string path, HttpStatusCode status, string? mediaType)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Fixture.BaseAddress };

        using var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Csp, string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
        if (status == HttpStatusCode.MovedPermanently)
        {
            Assert.Equal("/dashboard/", response.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task DashboardFiles_AreServedWithoutAnApiKey_AndRevalidateByETag()
    {
        using var client = new HttpClient { BaseAddress = Fixture.BaseAddress };
        using var first = await client.GetAsync("/dashboard/app.js");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/app.js");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [BrowserFact]
    public async Task Insight_ShowsChartsAndTheBrowserMeasuredSearchLatency()
    {
        await Fixture.AddMemoryAsync("Enjoys hiking", Unique("frank"));
        var page = await SignedInPageAsync();
        var record = Watch(page);
        await page.GetByTestId("query").FillAsync("hiking");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("result-count")).ToContainTextAsync("measured in this browser");

        await NavigateAsync(page, "Insight");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Memories over time per scope" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Add outcomes per day" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("latency-summary")).ToContainTextAsync("1 search ·");
        await ScreenshotAsync(page, "12-insight");
        Assert.Empty(record.ConsoleErrors);
    }

    [BrowserFact]
    public async Task PhoneWidth_PagesFitWithoutHorizontalScrolling()
    {
        await Fixture.AddMemoryAsync("Reads on the train", Unique("gina"));
        var page = await SignedInPageAsync(width: 390, height: 844);

        foreach (var (link, heading) in new[] { ("Memories", "Memories"), ("Activity", "Activity"), ("Import", "Import"), ("Webhooks", "Webhooks") })
        {
            await NavigateAsync(page, link);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), $"{link} scrolls sideways at 390 px");
        }

        await NavigateAsync(page, "Memories");
        await ScreenshotAsync(page, "13-phone");
    }

    [BrowserFact]
    public async Task ThemeToggle_SwitchesToDarkAndRemembersIt()
    {
        var page = await SignedInPageAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to the dark theme" }).ClickAsync();

        Assert.Equal("dark", await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme"));
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.Equal("rgb(18, 21, 27)", background);
        await ScreenshotAsync(page, "14-dark");

        await page.ReloadAsync();
        Assert.Equal("dark", await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme"));
    }
}
