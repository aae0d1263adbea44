using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mem0.Server.Hosting;
using Mem0.Testing.AI;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Mem0.Dashboard.Tests;

/// <summary>
/// The real local server (ServerApp on Kestrel, SQLite in a temporary directory, a free 127.0.0.1 port, the admin API on)
/// and one headless system chromium driven by Playwright. Each test opens its own browser context.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string AdminKey = "dashboard-test-admin-key";

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "mem0-dashboard-tests-" + Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The key the server generated for its default project at first start.</summary>
    public string ApiKey { get; private set; } = null!;

    /// <summary>The browser, or null when chromium is missing.</summary>
    public IBrowser? Browser { get; private set; }

    /// <summary>Where each page's screenshot goes (kept by CI as an artifact).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), ".artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        _app = ServerApp.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--Mem0:Server:DataDirectory={DataDirectory}",
            "--Mem0:Server:PrintBanner=false",
            "--Mem0:Server:WarmUp=false",
            $"--Mem0:Admin:Key={AdminKey}",
            "--Logging:LogLevel:Default=Warning",
        ],
        // Deterministic word-hashing vectors: these tests are about the page, not about embedding quality.
        builder => builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashingEmbeddingGenerator()));
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        ApiKey = (await _app.Services.GetRequiredService<ServerState>().Bootstrap).GeneratedApiKey!;

        if (Chromium.Path is null)
        {
            // The HTTP-only tests still run; browser tests are skipped locally and fail in CI (NewPageAsync throws).
            return;
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--headless", "--no-sandbox"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>A fresh browser context (its own session storage) and page, at desktop size unless told otherwise.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, ColorScheme colorScheme = ColorScheme.Light)
    {
        if (Browser is null)
        {
            throw new InvalidOperationException(Chromium.MissingReason);
        }

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
        });
        return await context.NewPageAsync();
    }

    /// <summary>An HTTP client for the API, as the SDKs call it.</summary>
    public HttpClient Client(string? apiKey = null, string scheme = "Token")
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, apiKey ?? ApiKey);
        return client;
    }

    /// <summary>Adds one memory verbatim (synchronously) and returns its id.</summary>
    public async Task<string> AddMemoryAsync(string text, string userId, object? metadata = null, string? apiKey = null)
    {
        using var client = Client(apiKey);
        using var response = await client.PostAsJsonAsync("/v3/memories/add/", new
        {
            messages = new[] { new { role = "user", content = text } },
            user_id = userId,
            infer = false,
            metadata,
        });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("results")[0].GetProperty("id").GetString()!;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mem0.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}

/// <summary>
/// Where the system chromium is: MEM0_CHROMIUM, else /usr/bin/chromium (Debian's package, installed by test.sh).
/// MEM0_CHROMIUM=none pretends there is none.
/// </summary>
internal static class Chromium
{
    public static string? Path { get; } = Find();

    public static string MissingReason =>
        "chromium is not installed (looked at MEM0_CHROMIUM and /usr/bin/chromium): run `apt-get install -y chromium` (test.sh does).";

    private static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("MEM0_CHROMIUM");
        if (configured == "none")
        {
            // Lets a run behave as on a machine without the browser (to check the skip / fail rule).
            return null;
        }

        foreach (var candidate in new[] { configured, "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (!string.IsNullOrWhiteSpace(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>The theory counterpart of <see cref="BrowserFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (Chromium.Path is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = Chromium.MissingReason;
        }
    }
}

/// <summary>
/// A browser test. Without chromium it is skipped locally (with the reason), but never in CI (<c>CI=true</c>): there the
/// fixture fails instead, so a machine without the browser cannot pass by skipping.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (Chromium.Path is null && !ci)
        {
            Skip = Chromium.MissingReason;
        }
    }
}
