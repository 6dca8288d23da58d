using Microsoft.Playwright;

namespace AgentConsole.Tests.Browser;

/// <summary>
/// One headless Debian Chromium for the whole test run; every test opens its own context so cookies,
/// local storage and circuits never leak between tests. Playwright cannot download its own browsers here
/// (see STACK-NOTES.md), so it drives the system Chromium through its bundled driver.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Blazor Server on a 2-core machine can take a few seconds to open a circuit; auto-waits get this long.</summary>
    public const float TimeoutMs = 20_000;

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Screenshots land here, one folder per role: screenshots/&lt;role&gt;/&lt;page&gt;.png.</summary>
    public static string ScreenshotRoot { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Browser tests drive Debian Chromium at {ChromiumPath}; install it with 'apt-get install -y chromium'.");
        }

        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
            ],
        });
    }

    /// <summary>A fresh, isolated browser context pointed at <paramref name="baseAddress"/>.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
