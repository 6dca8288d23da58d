using System.Text.RegularExpressions;
using AgentConsole.Tests.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentConsole.Tests.Browser;

/// <summary>
/// One test's browser: a fresh context and page on the shared host, plus the steps every test repeats
/// (sign in, wait for the Blazor circuit, screenshots). It records uncaught script errors and console errors,
/// where Blazor reports a broken circuit, so tests can assert the UI never failed behind their back.
/// </summary>
public sealed partial class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private BrowserSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        Page.PageError += (_, error) => Record($"page error: {error}");
        Page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text}");
            }
        };
    }

    public IPage Page { get; }

    public static async Task<BrowserSession> StartAsync(BrowserFixture browser, ConsoleHostFixture host)
    {
        var context = await browser.NewContextAsync(host.BaseAddress);
        return new BrowserSession(context, await context.NewPageAsync());
    }

    /// <summary>Signs in through the static /login form and waits until the console is interactive.</summary>
    public async Task SignInAsync(string role)
    {
        var (email, password) = ConsoleHostFixture.SignInFor(role);
        await Page.GotoAsync("/login");
        await SubmitLoginAsync(email, password);
        await Expect(Page).Not.ToHaveURLAsync(LoginUrl());
        await WaitForInteractiveAsync();
        await Expect(Page.GetByTestId("user-role")).ToHaveTextAsync(role);
    }

    /// <summary>Fills and submits the login form on the current page; does not wait for the outcome.</summary>
    public async Task SubmitLoginAsync(string email, string password)
    {
        await Page.Locator("#email").FillAsync(email);
        await Page.Locator("#password").FillAsync(password);
        await Page.GetByTestId("sign-in").ClickAsync();
    }

    /// <summary>Loads <paramref name="path"/> from the server (a full page load) and waits for the circuit.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForInteractiveAsync();
    }

    /// <summary>Navigates inside the running circuit, as a link click would, without asking the server for a page.</summary>
    public async Task NavigateInCircuitAsync(string path) =>
        await Page.EvaluateAsync("path => Blazor.navigateTo(path)", path);

    /// <summary>
    /// Prerendered markup looks clickable before the circuit is up, but clicks would be lost;
    /// the main layout renders this marker only once it runs interactively.
    /// </summary>
    public Task WaitForInteractiveAsync() =>
        Page.GetByTestId("interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    /// <summary>A full-page screenshot at screenshots/&lt;folder&gt;/&lt;name&gt;.png under the test output.</summary>
    public async Task<string> ScreenshotAsync(string folder, string name)
    {
        var path = Path.Combine(BrowserFixture.ScreenshotRoot, Slug(folder), Slug(name) + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    /// <summary>Uncaught script errors and console errors since the page opened.</summary>
    public IReadOnlyList<string> BrowserErrors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public void AssertNoBrowserErrors() => Assert.Empty(BrowserErrors);

    /// <summary>Clicks the navigation item titled <paramref name="title"/> (a client-side navigation inside the circuit).</summary>
    public async Task ClickNavAsync(string title)
    {
        await NavLink(title).ClickAsync();
        await WaitForPageReadyAsync();
    }

    public ILocator NavLink(string title) => Page.GetByTestId("nav").Locator($"[data-nav=\"{title}\"]");

    /// <summary>The page's own heading; the layout has no h1 of its own.</summary>
    public ILocator Heading => Page.Locator("h1");

    /// <summary>Pages show a progress bar while they load their data; wait until none is left.</summary>
    public async Task WaitForPageReadyAsync()
    {
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(Page.Locator(".mud-main-content .mud-progress-linear")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// The helper line under a MudBlazor input, which shows the validation message when the input is in error.
    /// MudBlazor 9 drops aria-describedby while in error, so the accessible description does not carry the message;
    /// the input control's markup is the reliable signal.
    /// </summary>
    public static ILocator FieldMessage(ILocator input) => InputControl(input).Locator(".mud-input-helper-text");

    public static async Task ExpectFieldErrorAsync(ILocator input, Regex message)
    {
        await Expect(InputControl(input)).ToHaveClassAsync(InputError());
        await Expect(FieldMessage(input)).ToHaveTextAsync(message);
    }

    public static Task ExpectFieldErrorAsync(ILocator input, string message) =>
        ExpectFieldErrorAsync(input, new Regex($"^{Regex.Escape(message)}$"));

    public static Task ExpectNoFieldErrorAsync(ILocator input) => Expect(InputControl(input)).Not.ToHaveClassAsync(InputError());

    private static ILocator InputControl(ILocator input) =>
        input.Locator("xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' mud-input-control ')][1]");

    /// <summary>Matches any URL whose path is exactly <paramref name="path"/>, with or without a query.</summary>
    /// <remarks>Playwright hands the pattern to JavaScript, which rejects .NET-only options such as CultureInvariant.</remarks>
    public static Regex PathIs(string path) => new($"^https?://[^/]+{Regex.Escape(path)}(\\?.*)?$");

    public static Regex LoginUrl() => PathIs("/login");

    public static string Slug(string text) => NonSlug().Replace(text.Trim().ToLowerInvariant(), "-").Trim('-');

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private void Record(string error)
    {
        lock (_errors)
        {
            _errors.Add(error);
        }
    }

    [GeneratedRegex("[^a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NonSlug();

    [GeneratedRegex(@"(^|\s)mud-input-error(\s|$)")]
    private static partial Regex InputError();
}
