using System.Net;
using System.Text.RegularExpressions;
using AgentConsole.Access;

namespace AgentConsole.Tests.Hosting;

/// <summary>
/// A browser-less visitor of the test host: an HTTP client with its own cookie jar that signs in through the real
/// static SSR login form (antiforgery token included), so tests exercise the same cookie a browser gets.
/// </summary>
public sealed partial class CookieSession : IDisposable
{
    private static int s_clientAddresses;

    private CookieSession(ConsoleHostFixture host, string? forwardedFor = null)
    {
        Cookies = new CookieContainer();
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = Cookies })
        {
            BaseAddress = host.BaseAddress,
        };
        if (forwardedFor is not null)
        {
            // The host trusts loopback as a reverse proxy, so this is the client address the rate limits see.
            Client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
    }

    public CookieContainer Cookies { get; }

    public HttpClient Client { get; }

    /// <summary>The console's authentication cookie, if the server set one.</summary>
    public Cookie? AuthCookie => Cookies.GetCookies(Client.BaseAddress!)[AccessExtensions.AuthCookieName];

    public static CookieSession Anonymous(ConsoleHostFixture host, string? forwardedFor = null) => new(host, forwardedFor);

    /// <summary>A documentation-range address (RFC 5737) of its own, so a test has a rate-limit partition nobody else uses.</summary>
    public static string UniqueClientAddress()
    {
        var n = Interlocked.Increment(ref s_clientAddresses);
        return $"198.51.{100 + (n / 250)}.{1 + (n % 250)}";
    }

    /// <summary>The antiforgery token a cookie session sends in X-XSRF-TOKEN on unsafe API calls.</summary>
    public async Task<string> AntiforgeryHeaderTokenAsync()
    {
        using var response = await Client.GetAsync("/api/v1/session/antiforgery");
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Signs in as the seeded user of <paramref name="role"/>.</summary>
    public static Task<CookieSession> SignInAsync(ConsoleHostFixture host, string role)
    {
        var (email, password) = ConsoleHostFixture.SignInFor(role);
        return SignInAsync(host, email, password);
    }

    public static async Task<CookieSession> SignInAsync(ConsoleHostFixture host, string email, string password)
    {
        var session = new CookieSession(host);
        using var response = await session.SubmitLoginAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || session.AuthCookie is null)
        {
            var body = await response.Content.ReadAsStringAsync();
            session.Dispose();
            throw new InvalidOperationException(
                $"Signing in as {email} did not redirect with an auth cookie: {(int)response.StatusCode}. {ErrorOf(body)}");
        }

        return session;
    }

    /// <summary>Loads the login page (which sets the antiforgery cookie) and posts the form the way a browser does.</summary>
    public async Task<HttpResponseMessage> SubmitLoginAsync(string email, string password, string? returnUrl = null)
    {
        var path = returnUrl is null ? "/login" : $"/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        using var page = await Client.GetAsync(path);
        page.EnsureSuccessStatusCode();
        var token = AntiforgeryToken(await page.Content.ReadAsStringAsync());
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await Client.PostAsync(path, form);
    }

    /// <summary>The hidden antiforgery input a rendered form carries.</summary>
    public static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryInput().Match(html);
        if (!match.Success)
        {
            throw new InvalidOperationException("The page has no __RequestVerificationToken input.");
        }

        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    /// <summary>The text of the login page's error alert, or null when it shows none.</summary>
    public static string? ErrorOf(string html)
    {
        var match = LoginError().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups["message"].Value).Trim() : null;
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="(?<value>[^"]*)"|<input[^>]*value="(?<value>[^"]*)"[^>]*name="__RequestVerificationToken" """, RegexOptions.CultureInvariant)]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("""data-testid="login-error".*?class="mud-alert-message">(?<message>[^<]*)<""", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex LoginError();
}
