using System.Text;
using Mem0.Core.Dashboard;
using Mem0.Functions.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Mem0.Functions.Tests.Dashboard;

/// <summary>The <c>Dashboard</c> trigger, invoked as the worker invokes it: the files, the redirect, 404s and the headers.</summary>
public sealed class DashboardFunctionTests
{
    private static readonly ServiceProvider s_services = new ServiceCollection().AddLogging().BuildServiceProvider();

    private static async Task<(HttpResponse Response, string Body)> GetAsync(string path, string? ifNoneMatch = null)
    {
        var context = new DefaultHttpContext { RequestServices = s_services };
        context.Request.Method = "GET";
        context.Request.Path = path;
        if (ifNoneMatch is not null)
        {
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        }

        context.Response.Body = new MemoryStream();
        var result = DashboardFunction.Dashboard(context.Request);
        await result.ExecuteAsync(context);
        return (context.Response, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Theory]
    [InlineData("/dashboard/", "text/html", "<script type=\"module\" src=\"app.js\"></script>")]
    [InlineData("/dashboard/index.html", "text/html", "<main id=\"main\"")]
    [InlineData("/dashboard/app.js", "text/javascript", "import { session } from './api.js';")]
    [InlineData("/dashboard/api.js", "text/javascript", "sessionStorage")]
    [InlineData("/dashboard/pages/memories.js", "text/javascript", "export async function render")]
    [InlineData("/dashboard/app.css", "text/css", "prefers-color-scheme: dark")]
    public async Task Dashboard_KnownFile_IsServedWithTheCsp(string path, string mediaType, string excerpt)
    {
        var (response, body) = await GetAsync(path);

        Assert.Equal(200, response.StatusCode);
        Assert.StartsWith(mediaType, response.ContentType, StringComparison.Ordinal);
        Assert.Contains(excerpt, body, StringComparison.Ordinal);
        AssertSecurityHeaders(response);
        Assert.Equal("no-cache", response.Headers.CacheControl.ToString());
    }

    [Theory]
    [InlineData("/dashboard/missing.js")]
    [InlineData("/dashboard/memories")]
    [InlineData("/dashboard/pages/")]
    [InlineData("/dashboard/../host.json")]
    public async Task Dashboard_UnknownFile_Is404NotTheEntryPage(string path)
    {
        var (response, body) = await GetAsync(path);

        Assert.Equal(404, response.StatusCode);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Dashboard_WithoutTrailingSlash_RedirectsToTheSlash()
    {
        var (response, _) = await GetAsync("/dashboard");

        Assert.Equal(301, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location.ToString());
        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task Dashboard_MatchingETag_Is304()
    {
        var (first, _) = await GetAsync("/dashboard/app.js");

        var (second, body) = await GetAsync("/dashboard/app.js", first.Headers.ETag.ToString());

        Assert.Equal(304, second.StatusCode);
        Assert.Empty(body);
    }

    [Fact]
    public void DashboardFiles_EveryModuleTheEntryLoads_IsEmbedded()
    {
        // Every page module the router imports, and every module they import, must be served (a typo would be a 404).
        var files = DashboardFiles.All;
        Assert.Contains("index.html", files.Keys);
        foreach (var module in files.Values.Where(f => f.Path.EndsWith(".js", StringComparison.Ordinal)))
        {
            var text = Encoding.UTF8.GetString(module.Content);
            var directory = Path.GetDirectoryName(module.Path)!.Replace('\\', '/');
            foreach (System.Text.RegularExpressions.Match import in System.Text.RegularExpressions.Regex.Matches(text, @"(?:from |import\()'(\.{1,2}/[^']+)'"))
            {
                var target = Path.GetFullPath(Path.Combine("/root", directory, import.Groups[1].Value))["/root/".Length..];
                Assert.True(files.ContainsKey(target), $"{module.Path} imports {import.Groups[1].Value}, which is not embedded");
            }
        }
    }

    [Fact]
    public void DashboardFiles_HaveNoInlineScriptsOrStyles()
    {
        foreach (var file in DashboardFiles.All.Values)
        {
            var text = Encoding.UTF8.GetString(file.Content);
            Assert.DoesNotContain("innerHTML", text, StringComparison.Ordinal);
            Assert.DoesNotContain("insertAdjacentHTML", text, StringComparison.Ordinal);
            Assert.DoesNotContain(" style=", text, StringComparison.Ordinal);
            if (file.Path.EndsWith(".html", StringComparison.Ordinal))
            {
                Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", text);
                Assert.DoesNotMatch(@"\son[a-z]+=", text);
            }
        }
    }

    private static void AssertSecurityHeaders(HttpResponse response)
    {
        Assert.Equal(DashboardEndpoints.ContentSecurityPolicy, response.Headers.ContentSecurityPolicy.ToString());
        Assert.Contains("script-src 'self'", DashboardEndpoints.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", DashboardEndpoints.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("no-referrer", response.Headers["Referrer-Policy"].ToString());
    }
}
